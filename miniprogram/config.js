// Where the server is. Production builds set this to the platform's HTTPS domain (a legal request domain).
// appId: the mini program's AppID, sent with the wx.login code; it must equal the server's
// WECHAT_MINIPROGRAM_APP_ID. Inside WeChat the running mini program's own AppID is used (wx.getAccountInfoSync).
module.exports = { baseUrl: 'http://127.0.0.1:8000', appId: 'wxd0000000000demo' };
