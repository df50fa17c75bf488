// A request's status in words, coloured by whether the resident has to do something.
const { statusLabel } = require('../../utils/format');

Component({
  properties: { status: { type: String, value: '' } },
  data: { label: '', tone: 'waiting' },
  observers: {
    status(status) {
      const tone = status === 'completed' ? 'action' : ['closed', 'cancelled', 'handled_at_once'].includes(status) ? 'done' : 'waiting';
      this.setData({ label: statusLabel(status), tone });
    },
  },
});
