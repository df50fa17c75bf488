const api = require('../../api/client');

Page({
  data: { sent: false, error: '' },
  async onRequestCode(e) {
    try {
      await api.requestCode(e.detail.phone);
      this.setData({ sent: true, error: '' });
    } catch (err) {
      this.setData({ error: '验证码发送失败，请稍后再试' });
    }
  },
  async onConfirm(e) {
    try {
      await api.confirmCode(e.detail.code);
      wx.reLaunch({ url: '/pages/catalogue/catalogue' });
    } catch (err) {
      this.setData({ error: '验证码不正确或已过期' });
    }
  },
});
