// Raise a request: the item (its title, guide price and booking questions from the catalogue), what is
// needed, the place from wx.chooseLocation and a phone the company may call. Sent once: the Idempotency-Key
// header is made when the page opens and sent again on a retry, so a second tap raises nothing new.
const api = require('../../api/client');
const { formatCny } = require('../../utils/format');

Page({
  data: {
    item: null, title: '', guide: '', questions: [], answers: {}, description: '', address: '', latitude: '',
    longitude: '', contactPhone: '', error: '', busy: false,
  },
  async onLoad(query) {
    this.idempotencyKey = api.newIdempotencyKey();
    const id = Number(query.item);
    this.setData({ item: id, contactPhone: api.lastPhone() });
    try {
      const item = await api.item(id);
      this.setData({
        title: item.title, questions: item.booking_questions || [],
        guide: item.guide_price ? formatCny(item.guide_price.guide_price) : '',
      });
    } catch (err) {
      this.setData({ error: err.statusCode === 404 ? '该服务项目不存在或已下架' : '服务项目加载失败' });
    }
  },
  onDescription(e) { this.setData({ description: e.detail.value }); },
  onContactPhone(e) { this.setData({ contactPhone: e.detail.value.trim() }); },
  onAnswers(e) { this.setData({ answers: e.detail.answers }); },
  chooseLocation() {
    wx.chooseLocation({
      success: (loc) => this.setData({
        address: loc.address || loc.name, latitude: loc.latitude.toFixed(6), longitude: loc.longitude.toFixed(6),
      }),
    });
  },
  // What the form lacks, in words; '' when it can be sent.
  missing() {
    const { description, address, contactPhone } = this.data;
    if (!description.trim()) return '请描述需求';
    if (!address) return '请选择服务地址';
    if (!contactPhone) return '请填写联系电话';
    return '';
  },
  async submit() {
    if (this.data.busy) return;
    const missing = this.missing();
    if (missing) {
      this.setData({ error: missing });
      return;
    }
    this.setData({ busy: true, error: '' });
    const d = this.data;
    try {
      const created = await api.raiseRequest({
        item: d.item, description: d.description.trim(), answers: d.answers, address: d.address,
        latitude: d.latitude, longitude: d.longitude, as_soon_as_possible: true, contact_phone: d.contactPhone,
      }, this.idempotencyKey);
      wx.redirectTo({ url: `/pages/request-detail/request-detail?id=${created.id}` });
    } catch (err) {
      // Nothing was raised on a refusal; a retry with the same key is safe either way.
      this.setData({ error: err.message, busy: false });
    }
  },
});
