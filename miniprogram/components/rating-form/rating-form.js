// Rate a finished job: overall, punctuality, attitude and quality, 1–5 stars each, and a comment. Emits
// `submit` with {overall, punctuality, attitude, quality, comment} (whole numbers), once per tap.
const ASPECTS = [
  { key: 'overall', label: '总体评价' },
  { key: 'punctuality', label: '准时' },
  { key: 'attitude', label: '服务态度' },
  { key: 'quality', label: '服务质量' },
];

Component({
  properties: { busy: { type: Boolean, value: false } },
  data: { aspects: ASPECTS, scores: { overall: 5, punctuality: 5, attitude: 5, quality: 5 }, comment: '' },
  methods: {
    onScore(e) {
      this.setData({ [`scores.${e.currentTarget.dataset.key}`]: Math.round(Number(e.detail.value)) });
    },
    onComment(e) { this.setData({ comment: e.detail.value }); },
    onSubmit() {
      if (this.properties.busy) return;
      this.triggerEvent('submit', Object.assign({}, this.data.scores, { comment: this.data.comment.trim() }));
    },
  },
});
