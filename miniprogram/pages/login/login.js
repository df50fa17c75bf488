// Sign-in and sign-up. First silently with WeChat (wx.login → provider/token). If this WeChat account is not
// linked to anyone yet, the phone form is shown: "sign in" asks for a login code (an account exists), "sign
// up" makes a new resident account with the phone and its texted code, no password. After either, WeChat is
// linked with a fresh wx.login code, so next time WeChat alone signs the person in.
//
// The server never says whether a number has an account (enumeration prevention): a login code asked for an
// unknown number texts "no account yet — sign up", a sign-up with a known number texts "you already have
// an account". The hints below tell the person to read the text.
const api = require('../../api/client');

const HOME = '/pages/catalogue/catalogue';
const HINTS = {
  signin: '验证码已发送。如果该号码还没有账号，短信会提示您，请点击下方“新用户注册”。',
  signup: '验证码已发送。如果该号码已经注册，短信会提示您，请改用“验证码登录”。',
};

Page({
  data: { checking: true, mode: 'signin', sent: false, error: '', notice: '', hint: '' },
  async onLoad() {
    try {
      const result = await api.wechatLogin();
      if (result.linked) {
        wx.reLaunch({ url: HOME });
        return;
      }
      this.setData({
        checking: false,
        notice: result.reason === 'not_linked' ? '首次使用请用手机号登录或注册，完成后将绑定当前微信' : '请使用手机号登录',
      });
    } catch (err) {
      this.setData({ checking: false, error: err.message || '微信登录失败，请使用手机号登录' });
    }
  },
  onSwitchMode() {
    this.signUpPhone = null;
    this.setData({ mode: this.data.mode === 'signup' ? 'signin' : 'signup', sent: false, error: '', hint: '' });
  },
  async onRequestCode(e) {
    const { phone } = e.detail;
    const { mode } = this.data;
    try {
      if (mode === 'signup' && this.data.sent && this.signUpPhone === phone) {
        await api.resendSignUpCode(); // the sign-up is under way: the same number gets a new code
      } else if (mode === 'signup') {
        await api.signUp(phone);
        this.signUpPhone = phone;
      } else {
        await api.requestCode(phone);
      }
      this.setData({ sent: true, error: '', hint: HINTS[mode] });
    } catch (err) {
      this.setData({ error: err.message || '验证码发送失败，请稍后再试' });
    }
  },
  async onConfirm(e) {
    try {
      if (this.data.mode === 'signup') await api.verifyPhone(e.detail.code);
      else await api.confirmCode(e.detail.code);
    } catch (err) {
      this.setData({ error: err.statusCode === 400 ? '验证码不正确或已过期' : err.message || '验证失败，请重新获取验证码' });
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
