// An offer to a company: what, where, until when; accept or decline. The phone stays masked until accepted.
const { formatCny, maskPhone } = require('../../utils/format');

Component({
  properties: { offer: { type: Object, value: {} } },
  data: { price: '', phone: '', busy: false },
  observers: {
    offer(offer) {
      this.setData({ price: formatCny(offer.contract_price), phone: maskPhone(offer.contact_phone) });
    },
  },
  methods: {
    onAccept() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      this.triggerEvent('accept', { id: this.properties.offer.id });
    },
    onDecline() {
      if (this.data.busy) return;
      this.triggerEvent('decline', { id: this.properties.offer.id });
    },
  },
});
