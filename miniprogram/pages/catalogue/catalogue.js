// Browse services with their guide prices; tap to book.
const api = require('../../api/client');

Page({
  data: { items: [], error: '' },
  async onLoad() {
    try {
      const page = await api.items();
      this.setData({ items: page.results });
    } catch (err) {
      this.setData({ error: '服务目录加载失败' });
    }
  },
  onBook(e) {
    wx.navigateTo({ url: `/pages/request-new/request-new?item=${e.detail.id}` });
  },
  onCompanyMode() {
    wx.navigateTo({ url: '/pages/company-offers/company-offers' });
  },
});
