const api = require('./api/client');

App({
  globalData: { mode: 'resident' }, // 'company' when a company's staff member switches to receiving offers
  onLaunch() {
    if (!api.tokens().access) wx.reLaunch({ url: '/pages/login/login' });
  },
});
