// Follow a request; pay with wx.requestPayment once completed; rate or complain afterwards.
const api = require('../../api/client');
const { formatCny } = require('../../utils/format');

Page({
  data: { request: null, price: '', stars: 5, comment: '', error: '' },
  onLoad(query) {
    this.id = Number(query.id);
    this.load();
  },
  async load() {
    try {
      const request = await api.call('requestDetail', { id: this.id });
      this.setData({ request, price: formatCny(request.final_price) });
    } catch (err) {
      this.setData({ error: err.message });
    }
  },
  async pay() {
    try {
      const started = await api.call('paymentStart', { id: this.id }, { provider: 'wechat', channel: 'miniprogram' });
      const params = started.wechat || started.parameters || started;
      await new Promise((resolve, reject) => wx.requestPayment({
        timeStamp: params.timeStamp, nonceStr: params.nonceStr, package: params.package,
        signType: params.signType, paySign: params.paySign, success: resolve, fail: reject,
      }));
      this.load();
    } catch (err) {
      this.setData({ error: '支付未完成' });
    }
  },
  onStars(e) { this.setData({ stars: Number(e.detail.value) }); },
  onComment(e) { this.setData({ comment: e.detail.value }); },
  async rate() {
    try {
      await api.call('ratingGive', { id: this.id }, { stars: this.data.stars, comment: this.data.comment });
      this.load();
    } catch (err) {
      this.setData({ error: err.message });
    }
  },
  async complain() {
    try {
      await api.call('complaintFile', { id: this.id }, { reason: this.data.comment });
      this.load();
    } catch (err) {
      this.setData({ error: err.message });
    }
  },
});
