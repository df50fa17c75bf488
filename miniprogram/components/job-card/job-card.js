// One of the company's jobs and its next step: set off (accepted), arrive (on the way), complete with the
// final price (in service). Emits `setoff`, `arrive` with {id}, and `complete` with {id, final_price,
// quantity} — the price as yuan text with two decimals, never a float; the server refuses one above the
// contracted price. One tap per step: the card stays busy until the page gives it a new job.
const { formatCny, maskPhone, statusLabel, normaliseYuan } = require('../../utils/format');

const NEXT = { accepted: 'setoff', on_the_way: 'arrive', in_service: 'complete' };
const QUANTITY = /^\d{1,7}(\.\d{1,2})?$/;

Component({
  properties: { job: { type: Object, value: {} } },
  data: { next: '', label: '', phone: '', price: '', finalPrice: '', quantity: '1', busy: false, localError: '' },
  observers: {
    job(job) {
      this.setData({
        next: NEXT[job.status] || '', label: statusLabel(job.status), phone: maskPhone(job.contact_phone),
        price: formatCny(job.final_price), busy: false, localError: '',
      });
    },
  },
  methods: {
    onPrice(e) { this.setData({ finalPrice: e.detail.value.trim() }); },
    onQuantity(e) { this.setData({ quantity: e.detail.value.trim() }); },
    emit(name, detail) {
      if (this.data.busy) return;
      this.setData({ busy: true });
      this.triggerEvent(name, Object.assign({ id: this.properties.job.id }, detail));
    },
    onSetOff() { this.emit('setoff', {}); },
    onArrive() { this.emit('arrive', {}); },
    onComplete() {
      const finalPrice = normaliseYuan(this.data.finalPrice);
      if (!finalPrice) {
        this.setData({ localError: '请输入实际收费金额（元，最多两位小数）' });
        return;
      }
      if (!QUANTITY.test(this.data.quantity)) {
        this.setData({ localError: '请输入服务数量' });
        return;
      }
      this.setData({ localError: '' });
      this.emit('complete', { final_price: finalPrice, quantity: this.data.quantity });
    },
  },
});
