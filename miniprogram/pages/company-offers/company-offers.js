// Company staff: the offers waiting for our company; accept or decline each.
const api = require('../../api/client');

Page({
  data: { offers: [], error: '' },
  onShow() { this.load(); },
  async load() {
    try {
      const page = await api.call('offers');
      this.setData({ offers: page.results || page, error: '' });
    } catch (err) {
      this.setData({ error: err.statusCode === 403 ? '仅企业员工可用' : err.message });
    }
  },
  async onAccept(e) {
    try {
      await api.call('offerAccept', { id: e.detail.id }, {});
      wx.showToast({ title: '已接单' });
    } catch (err) {
      this.setData({ error: err.message });
    }
    this.load();
  },
  async onDecline(e) {
    try {
      await api.call('offerDecline', { id: e.detail.id }, { reason: '暂无人手' });
    } catch (err) {
      this.setData({ error: err.message });
    }
    this.load();
  },
});
