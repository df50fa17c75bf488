// Company staff: our company's jobs, newest accepted first, each with its next step (job-card): set off,
// arrive, complete with the final price. The server fences them (another company's job answers 404).
const api = require('../../api/client');

const DONE = { setoff: '已出发', arrive: '已到达', complete: '服务已完成' };

Page({
  data: { jobs: [], error: '', loaded: false },
  onShow() { return this.load(); },
  async load() {
    try {
      const page = await api.jobs();
      this.setData({ jobs: page.results, loaded: true });
    } catch (err) {
      this.setData({ error: err.statusCode === 403 ? '仅企业员工可用' : err.message, loaded: true });
    }
  },
  async step(name, run) {
    try {
      await run();
      this.setData({ error: '' });
      wx.showToast({ title: DONE[name] });
    } catch (err) {
      this.setData({ error: err.message });
    }
    await this.load();
  },
  onSetOff(e) { return this.step('setoff', () => api.setOff(e.detail.id)); },
  onArrive(e) { return this.step('arrive', () => api.arrive(e.detail.id)); },
  onComplete(e) {
    const { id, final_price: finalPrice, quantity } = e.detail;
    return this.step('complete', () => api.complete(id, { final_price: finalPrice, quantity }));
  },
  onOffers() {
    wx.navigateTo({ url: '/pages/company-offers/company-offers' });
  },
});
