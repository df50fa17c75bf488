const api = require('./api/client');

App({
  globalData: { mode: 'resident' }, // 'company' when a company's staff member switches to receiving offers
  onLaunch() {
    // No tokens yet: the login page signs in with WeChat silently, or asks for the phone code.
    if (!api.tokens().access) wx.reLaunch({ url: '/pages/login/login' });
  },
});
