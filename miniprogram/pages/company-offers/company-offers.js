// Company staff: the offers waiting for our company; accept or decline each.
const api = require('../../api/client');

Page({
  data: { offers: [], error: '' },
  onShow() { this.load(); },
  async load() {
    try {
      const page = await api.offers();
      this.setData({ offers: page.results, error: '' });
    } catch (err) {
      this.setData({ error: err.statusCode === 403 ? '仅企业员工可用' : err.message });
    }
  },
  async onAccept(e) {
    try {
      await api.acceptOffer(e.detail.id);
      wx.showToast({ title: '已接单' });
    } catch (err) {
      this.setData({ error: err.message });
    }
    this.load();
  },
  async onDecline(e) {
    try {
      await api.declineOffer(e.detail.id, '暂无人手');
    } catch (err) {
      this.setData({ error: err.message });
    }
    this.load();
  },
  onJobs() {
    wx.navigateTo({ url: '/pages/company-jobs/company-jobs' });
  },
});
