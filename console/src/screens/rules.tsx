/**
 * Assignment rules: segment attribute = value → user. An admin edits them (checked with the API's
 * own AssignmentRules before saving); a manager reads them.
 */
import { useState } from 'preact/hooks';
import { AssignmentRules } from '#shared/contract/followups';
import type { Me } from '#shared/contract/users';
import { api, describeFailure } from '../api.ts';
import { t } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';

type Rule = AssignmentRules['rules'][number];

/** What to say about a wrong field, whatever zod's own words were. */
const fieldProblem: Record<string, string> = {
  get attribute() {
    return t('rules.badAttribute');
  },
  get value() {
    return t('rules.badValue');
  },
  get assignee() {
    return t('rules.badEmail');
  },
};

export const RulesScreen = ({ me }: { me: Me }) => {
  const [rules, reload] = useLoad(() => api('GET /v1/assignment-rules'), []);
  const admin = me.roles.includes('admin');
  return (
    <div class="stack">
      <h1 class="page-title">{t('rules.title')}</h1>
      <p class="lead">{t('rules.lead')}</p>
      <Show loaded={rules} retry={reload}>
        {(data) => (admin ? <RulesEditor initial={data.rules} /> : <RulesTable rules={data.rules} />)}
      </Show>
    </div>
  );
};

const RulesTable = ({ rules }: { rules: readonly Rule[] }) => (
  <section class="card">
    <p class="muted">{t('rules.readOnly')}</p>
    {rules.length === 0 ? (
      <p class="empty">{t('rules.none')}</p>
    ) : (
      <div class="table-scroll" tabIndex={0} role="region" aria-label={t('rules.title')}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('rules.attribute')}</th>
              <th scope="col">{t('rules.value')}</th>
              <th scope="col">{t('rules.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={i}>
                <td>{r.attribute}</td>
                <td>{r.value}</td>
                <td>{r.assignee}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </section>
);

const RulesEditor = ({ initial }: { initial: readonly Rule[] }) => {
  const [rows, setRows] = useState<Rule[]>([...initial]);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const edit = (index: number, patch: Partial<Rule>) => setRows((all) => all.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const save = async () => {
    const parsed = AssignmentRules.safeParse({ rules: rows });
    if (!parsed.success) {
      setProblems(new Map(parsed.error.issues.map((issue) => [issue.path.slice(1, 3).join('.'), fieldProblem[String(issue.path[2])] ?? issue.message])));
      setState({ busy: false, error: t('rules.invalid') });
      return;
    }
    setProblems(new Map());
    setState({ busy: true });
    try {
      const saved = await api('PUT /v1/assignment-rules', { body: parsed.data });
      setRows([...saved.rules]);
      setState({ busy: false, message: t('rules.saved') });
    } catch (error) {
      setState({ busy: false, error: describeFailure(error) });
    }
  };
  const field = (index: number, name: keyof Rule, label: string, type = 'text') => {
    const problem = problems.get(`${index}.${name}`);
    const id = `rule-${index}-${name}`;
    return (
      <label class="field grow">
        <span class="field-label">{label}</span>
        <input
          id={id}
          type={type}
          value={rows[index]?.[name] ?? ''}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onInput={(e) => edit(index, { [name]: e.currentTarget.value })}
        />
        {problem && (
          <span class="field-error" id={`${id}-problem`}>
            {problem}
          </span>
        )}
      </label>
    );
  };
  return (
    <form
      class="card form"
      // The API's own schema checks the fields, in the person's language; not the browser's tooltips.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {rows.length === 0 && <p class="empty">{t('rules.none')}</p>}
      {rows.map((_, index) => (
        <fieldset key={index} class="rule">
          <legend class="visually-hidden">{t('rules.row', { n: index + 1 })}</legend>
          {field(index, 'attribute', t('rules.attribute'))}
          {field(index, 'value', t('rules.value'))}
          {field(index, 'assignee', t('rules.assignee'), 'email')}
          <button type="button" class="button button-quiet" onClick={() => setRows((all) => all.filter((__, i) => i !== index))}>
            {t('rules.remove')}
          </button>
        </fieldset>
      ))}
      <div class="form-row">
        <button type="button" class="button button-quiet" onClick={() => setRows((all) => [...all, { attribute: '', value: '', assignee: '' }])}>
          {t('rules.add')}
        </button>
        <button type="submit" class="button button-primary" disabled={state.busy}>
          {t('rules.save')}
        </button>
      </div>
      {state.message && (
        <p class="ok" role="status">
          {state.message}
        </p>
      )}
      {state.error && (
        <p class="field-error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
};
