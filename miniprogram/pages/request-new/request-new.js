// Raise a request: describe it, pick the place with wx.chooseLocation, submit once (idempotency key).
const api = require('../../api/client');

function newKey() {
  return `mp-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

Page({
  data: { product: null, description: '', address: '', latitude: null, longitude: null, error: '', busy: false },
  onLoad(query) {
    this.setData({ product: Number(query.product) });
    this.idempotencyKey = newKey();
  },
  onDescription(e) { this.setData({ description: e.detail.value }); },
  chooseLocation() {
    wx.chooseLocation({
      success: (loc) => this.setData({
        address: loc.address || loc.name, latitude: loc.latitude.toFixed(6), longitude: loc.longitude.toFixed(6),
      }),
    });
  },
  async submit() {
    if (this.data.busy) return;
    this.setData({ busy: true, error: '' });
    try {
      const created = await api.call('requestCreate', {}, {
        product: this.data.product, description: this.data.description, address: this.data.address,
        latitude: this.data.latitude, longitude: this.data.longitude, as_soon_as_possible: true,
        channel: 'app', idempotency_key: this.idempotencyKey,
      });
      wx.redirectTo({ url: `/pages/request-detail/request-detail?id=${created.id}` });
    } catch (err) {
      this.setData({ error: err.message, busy: false });
    }
  },
});
