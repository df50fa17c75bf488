// Sign-in: first silently with WeChat (wx.login → provider/token). If this WeChat account is not linked to
// anyone yet, the phone-code form is shown; after the code is confirmed, WeChat is linked with a fresh
// wx.login code, so next time WeChat alone signs the person in.
const api = require('../../api/client');

const HOME = '/pages/catalogue/catalogue';

Page({
  data: { checking: true, sent: false, error: '', notice: '' },
  async onLoad() {
    try {
      const result = await api.wechatLogin();
      if (result.linked) {
        wx.reLaunch({ url: HOME });
        return;
      }
      this.setData({
        checking: false,
        notice: result.reason === 'not_linked' ? '首次使用请验证手机号，验证后将绑定当前微信' : '请使用手机号登录',
      });
    } catch (err) {
      this.setData({ checking: false, error: err.message || '微信登录失败，请使用手机号登录' });
    }
  },
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
    } catch (err) {
      this.setData({ error: '验证码不正确或已过期' });
      return;
    }
    try {
      await api.wechatConnect();
    } catch (err) {
      // Signed in by phone all the same; say why WeChat was not linked.
      wx.showToast({ title: err.message || '绑定微信失败', icon: 'none' });
    }
    wx.reLaunch({ url: HOME });
  },
});
