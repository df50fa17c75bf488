// Complain about a job: a category (the server's list, utils/format COMPLAINT_CATEGORIES), what happened, and
// optionally evidence in words. Emits `submit` with {category, description, evidence_text}; refuses locally
// without a category or a description.
const { COMPLAINT_CATEGORIES } = require('../../utils/format');

Component({
  properties: { busy: { type: Boolean, value: false } },
  data: { categories: COMPLAINT_CATEGORIES, labels: COMPLAINT_CATEGORIES.map((c) => c.label), index: -1, description: '',
    evidence: '', localError: '' },
  methods: {
    onCategory(e) { this.setData({ index: Number(e.detail.value) }); },
    onDescription(e) { this.setData({ description: e.detail.value }); },
    onEvidence(e) { this.setData({ evidence: e.detail.value }); },
    onSubmit() {
      if (this.properties.busy) return;
      const { index, description, evidence } = this.data;
      if (index < 0) {
        this.setData({ localError: '请选择投诉类型' });
        return;
      }
      if (!description.trim()) {
        this.setData({ localError: '请说明投诉内容' });
        return;
      }
      this.setData({ localError: '' });
      this.triggerEvent('submit', {
        category: COMPLAINT_CATEGORIES[index].value, description: description.trim(), evidence_text: evidence.trim(),
      });
    },
  },
});
