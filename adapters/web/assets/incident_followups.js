// The incident page's follow-ups: the list (title, owner, due date, status,
// overdue, tracker link), a form to add one, and on each one Done, Cancel
// or Reopen and an Edit form. incident.js calls FollowUpsPanel.setUp once
// and FollowUpsPanel.render with every load of the incident.
'use strict';

const FollowUpsPanel = (() => {
  const {el} = FF;
  let incidentId = 0;
  let reload = () => {};
  let me = {can_act: false};
  const EDITED = [['title', 'Title', 'text'], ['owner', 'Owner', 'text'],
    ['due_date', 'Due date', 'date']];

  // Posts a change of follow-up `f`, sent against the version shown, and
  // shows a refusal on `form`.
  async function change(form, f, body) {
    const answer = await FF.act(`/api/followups/${f.id}/update`,
      {...body, expected_version: f.version});
    if (answer.status === 409 && answer.body.field === 'expected_version') {
      answer.body.error = 'Someone changed this follow-up meanwhile; it is shown as it is now.';
    }
    const ok = answer.status >= 200 && answer.status < 300;
    FF.showErrors(form, ok ? null : answer.body);
    if (ok) delete form.dataset.dirty;
    reload();
    return ok;
  }

  // editedFields(form, f): what the person changed in the edit form.
  function editedFields(form, f) {
    const body = {};
    for (const [name] of EDITED) {
      const value = form.elements[name].value;
      if (value !== (f[name] || '')) body[name] = value;
    }
    return body;
  }

  function statusButton(form, f, text, status) {
    const button = el('button', {type: 'button', class: 'fu-move', text,
      'data-status': status});
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await change(form, f, {status});
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  function editForm(form, f) {
    const fields = EDITED.flatMap(([name, label, type]) => FF.field(`fu-${f.id}-${name}`, name,
      label, el('input', {type, value: f[name] || '', autocomplete: 'off'})));
    form.addEventListener('input', () => { form.dataset.dirty = '1'; });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = editedFields(form, f);
      if (Object.keys(body).length === 0) {
        FF.showErrors(form, {error: 'Nothing changed.', field: null});
        return;
      }
      const save = form.querySelector('button[type="submit"]');
      save.disabled = true;
      try {
        await change(form, f, body);
      } finally {
        save.disabled = false;
      }
    });
    return el('details', {class: 'fu-edit'}, el('summary', {text: 'Edit'}),
      el('div', {class: 'stack'}, fields, el('button', {type: 'submit', text: 'Save'})));
  }

  function row(f) {
    const form = el('form', {class: 'fu-act', novalidate: true});
    const moves = f.status === 'open' ?
      [statusButton(form, f, 'Done', 'done'), statusButton(form, f, 'Cancel', 'cancelled')] :
      [statusButton(form, f, 'Reopen', 'open')];
    form.append(el('p', {class: 'form-error', role: 'alert', hidden: true}),
      el('fieldset', {disabled: !me.can_act}, el('legend', {class: 'visually-hidden',
        text: `Act on ${f.ref}`}), moves, editForm(form, f)));
    return el('li', {class: f.overdue ? 'followup overdue' : 'followup',
      'data-followup-id': String(f.id), 'data-status': f.status},
    el('div', {class: 'fu-head'}, el('span', {class: 'id', text: f.ref}),
      el('span', {class: 'fu-title', text: f.title}), FF.followUpBadge(f)),
    FF.followUpFacts(f), form);
  }

  // render(followUps): the list, oldest first. A row whose edit form
  // someone is typing in is kept as it is.
  function render(followUps) {
    const list = document.getElementById('followup-list');
    const kept = new Map();
    for (const item of list.children) {
      const form = item.querySelector('form');
      if (form && form.dataset.dirty) kept.set(item.dataset.followupId, item);
    }
    list.replaceChildren(...followUps.map((f) => kept.get(String(f.id)) || row(f)));
    document.getElementById('followups-empty').hidden = followUps.length > 0;
  }

  function buildAddForm() {
    const form = document.getElementById('followup-form');
    document.getElementById('followup-fields').append(
      ...FF.field('followup-title', 'title', 'Title', el('input', {maxlength: 200,
        autocomplete: 'off'})),
      ...FF.field('followup-owner', 'owner', 'Owner (email)', el('input', {autocomplete: 'off'})),
      ...FF.field('followup-due', 'due_date', 'Due date (empty: the severity\u2019s default)',
        el('input', {type: 'date'})));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {title: form.elements.title.value, owner: form.elements.owner.value};
      if (form.elements.due_date.value) body.due_date = form.elements.due_date.value;
      const answer = await FF.submitting(form,
        () => FF.act(`/api/incidents/${incidentId}/followups`, body));
      if (!answer) return;
      form.reset();
      reload();
    });
  }

  // setUp(id, onChange): builds the add form; onChange() reloads the page's
  // data after a change. REQUIRES: FF.guardForms() ran (it says who acts).
  async function setUp(id, onChange) {
    incidentId = id;
    reload = onChange;
    buildAddForm();
    me = await FF.session();
    reload();  // rows drawn before we knew who acts are drawn again
  }

  return {setUp, render};
})();
