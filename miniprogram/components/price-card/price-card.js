// One catalogue item with its government guide price and the market price it is measured against.
const { formatCny } = require('../../utils/format');

Component({
  properties: {
    item: { type: Object, value: {} },
  },
  data: { guide: '', market: '' },
  observers: {
    item(item) {
      this.setData({ guide: formatCny(item.guide_price), market: formatCny(item.market_price) });
    },
  },
  methods: {
    onBook() {
      this.triggerEvent('book', { id: this.properties.item.id });
    },
  },
});
