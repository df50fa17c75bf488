// An item's booking questions (GET /api/catalogue/items/{id}/ booking_questions: code, name, type, required,
// options) as a form. Emits `change` with {answers}: by question code, "option" answers one of the options,
// "integer" a whole number as text, "boolean" true/false, anything else text. Unanswered questions are left
// out (a switch answers false until turned on); the server says which required one is missing ("answer_missing").
Component({
  properties: { questions: { type: Array, value: [] } },
  data: { answers: {}, shown: {} },
  observers: {
    questions(questions) {
      // A switch shows "no" until it is touched: that is the answer unless the person changes it.
      const answers = {};
      (questions || []).filter((q) => q.type === 'boolean').forEach((q) => { answers[q.code] = false; });
      this.setData({ answers, shown: {} });
      if (Object.keys(answers).length) this.triggerEvent('change', { answers });
    },
  },
  methods: {
    emit(code, value) {
      const answers = Object.assign({}, this.data.answers);
      if (value === '' || value === undefined || value === null) delete answers[code];
      else answers[code] = value;
      this.setData({ answers });
      this.triggerEvent('change', { answers });
    },
    onText(e) {
      this.emit(e.currentTarget.dataset.code, e.detail.value.trim());
    },
    onInteger(e) {
      this.emit(e.currentTarget.dataset.code, e.detail.value.replace(/\D/g, ''));
    },
    onOption(e) {
      const { code } = e.currentTarget.dataset;
      const question = this.properties.questions.find((q) => q.code === code);
      const option = question.options[Number(e.detail.value)];
      this.setData({ [`shown.${code}`]: option });
      this.emit(code, option);
    },
    onBoolean(e) {
      this.emit(e.currentTarget.dataset.code, Boolean(e.detail.value));
    },
  },
});
