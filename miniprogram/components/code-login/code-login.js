// Phone number + six-digit SMS code, for signing in and for signing up (the page says which with
// confirm-label). Emits `requestcode` and `confirm`; the page talks to the API.
const MOBILE = /^1\d{10}$/;

Component({
  properties: {
    sent: { type: Boolean, value: false },
    error: { type: String, value: '' },
    confirmLabel: { type: String, value: '登录' },
  },
  data: { phone: '', code: '', localError: '' },
  methods: {
    onPhone(e) { this.setData({ phone: e.detail.value.trim() }); },
    onCode(e) { this.setData({ code: e.detail.value.trim() }); },
    onRequest() {
      if (!MOBILE.test(this.data.phone)) {
        this.setData({ localError: '请输入11位手机号' });
        return;
      }
      this.setData({ localError: '' });
      this.triggerEvent('requestcode', { phone: `+86${this.data.phone}` });
    },
    onConfirm() {
      if (!/^\d{6}$/.test(this.data.code)) {
        this.setData({ localError: '请输入6位验证码' });
        return;
      }
      this.setData({ localError: '' });
      this.triggerEvent('confirm', { code: this.data.code });
    },
  },
});
