// An offer to a company (GET /api/company/offers/ results: the offer, its request nested): what, where,
// how long is left; accept or decline. The server masks the phone until the company accepts.
const { maskPhone } = require('../../utils/format');

Component({
  properties: { offer: { type: Object, value: {} } },
  data: { title: '', address: '', phone: '', minutesLeft: 0, busy: false },
  observers: {
    offer(offer) {
      const request = offer.request || {};
      this.setData({
        title: (request.item && request.item.title) || '', address: request.address || '',
        phone: maskPhone(request.contact_phone), minutesLeft: Math.ceil((offer.seconds_left || 0) / 60),
      });
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
