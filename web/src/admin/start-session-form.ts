import type { CreateSessionRequest, CreateSessionResponse, ExamSummary, LabSummary, SessionMode } from '../../../server/http/contract.ts';
import { describeError } from '../api.ts';
import { h } from '../dom.ts';

/** Starts a session for a candidate and shows the link to send them (its token is shown once). */
export function startSessionForm(
  catalog: { exams: ExamSummary[]; labs: LabSummary[] },
  create: (request: CreateSessionRequest) => Promise<CreateSessionResponse>,
): HTMLElement {
  const target = h(
    'select',
    { id: 'start-target', name: 'target', required: true },
    h('optgroup', { label: 'Exams' }, ...catalog.exams.map((e) => h('option', { value: `exam:${e.id}`, disabled: e.problems.length > 0 }, `${e.title} (${e.durationMinutes} min)`))),
    h('optgroup', { label: 'Labs' }, ...catalog.labs.map((l) => h('option', { value: `lab:${l.id}`, disabled: l.problems.length > 0 }, `${l.title} (${l.id})`))),
  );
  const candidate = h('input', { id: 'start-candidate', name: 'candidate', required: true, maxlength: '120', autocomplete: 'off', placeholder: 'Ada Lovelace' });
  const mode = h('select', { id: 'start-mode', name: 'mode' }, h('option', { value: 'exam' }, 'Exam'), h('option', { value: 'practice' }, 'Practice'));
  const seed = h('input', { id: 'start-seed', name: 'seed', autocomplete: 'off', placeholder: 'random' });
  const duration = h('input', { id: 'start-duration', name: 'duration', type: 'number', min: '1', max: '600', placeholder: 'default' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Start session');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const output = h('div', { class: 'start__output', 'aria-live': 'polite' });

  const form = h(
    'form',
    { class: 'start', 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title', class: 'card__title' }, 'Start a session'),
    h(
      'div',
      { class: 'start__fields' },
      field('start-target', 'Exam or lab', target),
      field('start-candidate', 'Candidate name', candidate),
      field('start-mode', 'Mode', mode),
      field('start-seed', 'Seed (optional)', seed),
      field('start-duration', 'Minutes (optional)', duration),
      h('div', { class: 'form-actions' }, submit),
    ),
    error,
    output,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const [kind, id] = splitTarget(target.value);
    const request: CreateSessionRequest = { candidate: candidate.value.trim(), mode: mode.value as SessionMode };
    if (kind === 'exam') request.examId = id;
    else request.labId = id;
    if (seed.value.trim()) request.seed = seed.value.trim();
    if (duration.value) request.durationMinutes = Number(duration.value);
    submit.disabled = true;
    error.hidden = true;
    create(request)
      .then((created) => {
        output.replaceChildren(candidateLink(created, request.candidate));
        candidate.value = '';
      })
      .catch((e: unknown) => {
        error.textContent = describeError(e);
        error.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function splitTarget(value: string): ['exam' | 'lab', string] {
  const at = value.indexOf(':');
  return [value.slice(0, at) === 'lab' ? 'lab' : 'exam', value.slice(at + 1)];
}

function candidateLink(created: CreateSessionResponse, candidate: string): HTMLElement {
  const url = new URL(created.url, location.origin).href;
  const input = h('input', { id: 'candidate-link', readonly: true, class: 'mono', spellcheck: 'false' });
  input.value = url;
  input.addEventListener('focus', () => input.select());
  const copy = h('button', { type: 'button', class: 'button' }, 'Copy link');
  copy.addEventListener('click', () => {
    void copyText(input).then((ok) => {
      copy.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(() => (copy.textContent = 'Copy link'), 1500);
    });
  });
  return h(
    'div',
    { class: 'link-box' },
    h('p', {}, h('strong', {}, `Session for ${candidate} created.`), ' Send this link to the candidate. It carries their token and is shown only once.'),
    h('div', { class: 'field' }, h('label', { for: 'candidate-link' }, 'Candidate link'), h('div', { class: 'input-group' }, input, copy)),
    h(
      'p',
      { class: 'link-box__more' },
      h('a', { href: `/admin/sessions/${encodeURIComponent(created.id)}` }, 'Session detail'),
    ),
  );
}

/** The clipboard API needs a secure context; plain http on a LAN falls back to execCommand. */
async function copyText(input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.select();
    return document.execCommand('copy');
  }
}
