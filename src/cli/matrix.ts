// npm run matrix: the disclosure matrix, printed from the policy rules themselves.
import {
  CASE_BOUND_PURPOSES,
  CASE_KINDS_FOR_USE,
  LEGAL_BASIS,
  PURPOSES_DURING_RESTRICTION,
  PURPOSES_DELIVERING_OPEN_ORDERS,
  PURPOSES_OBJECTED_TO,
  PROTECTED_FIELDS,
  PURPOSES,
  REACH,
  ROLE_RULES,
  ROLES,
  SEARCHES,
  type Entry,
  type ProtectedField,
} from '../policy';

const fields = Object.keys(PROTECTED_FIELDS) as ProtectedField[];
const entries = Object.keys(REACH) as Entry[];
const lines = [
  '## Who may declare which purpose',
  '',
  '| Role | Purposes | Writes |',
  '|---|---|---|',
  ...ROLES.map((role) => {
    const rule = ROLE_RULES[role];
    return `| ${role} | ${rule.purposes.join(', ') || '—'} | ${rule.actions.join(', ') || '—'} |`;
  }),
  '',
  '## Who may reach which rows, through which entry',
  '',
  `| Entry | Subjects | Only under | ${ROLES.join(' | ')} |`,
  `|---|---|---|${ROLES.map(() => '---').join('|')}|`,
  ...entries.map((entry) => {
    const rule = REACH[entry];
    const cells = ROLES.map((role) => rule.roles[role] ?? '—');
    const under = `${rule.purposes?.join(', ') ?? 'any purpose'}${rule.disclosesSubject ? ' (audited as a release)' : ''}`;
    return `| \`${entry}\` | ${rule.subjects ?? 'its parent'} | ${under} | ${cells.join(' | ')} |`;
  }),
  '',
  ...Object.entries(SEARCHES).map(
    ([argument, matched]) =>
      `\`${argument}\` matches ${matched.join(', ')} by whole value (names by whole words), each match decided like a read.`,
  ),
  '',
  '## Which purpose may read which field',
  '',
  `| Field | Category | ${PURPOSES.map((p) => `${p} (${LEGAL_BASIS[p].toLowerCase().replace('_', ' ')})`).join(' | ')} |`,
  `|---|---|${PURPOSES.map(() => '---').join('|')}|`,
  ...fields.map((field) => {
    const rule = PROTECTED_FIELDS[field];
    const allowed: readonly string[] = rule.purposes;
    const cells = PURPOSES.map((p) =>
      allowed.includes(p) ? (LEGAL_BASIS[p] === 'CONSENT' ? '✔ with consent' : '✔') : '—',
    );
    return `| \`${field}\` | \`${rule.category}\` | ${cells.join(' | ')} |`;
  }),
  '',
  'CARRIER reads Shipment fields only for its own shipments while they are under way.',
  '',
  '## Data-subject requests',
  '',
  `${CASE_BOUND_PURPOSES.join(', ')} acts only under an open request of the person, of a fitting kind:`,
  '',
  '| Use | Request kinds |',
  '|---|---|',
  ...Object.entries(CASE_KINDS_FOR_USE).map(([use, kinds]) => `| ${use} | ${kinds.join(', ')} |`),
  '',
  `While a RESTRICTION is open, only ${PURPOSES_DURING_RESTRICTION.join(', ')} reads the person, and ` +
    `${PURPOSES_DELIVERING_OPEN_ORDERS.join(', ')} the shipping block of orders already open.`,
  ...Object.entries(PURPOSES_OBJECTED_TO).map(
    ([kind, purposes]) => `An open ${kind} refuses ${purposes?.join(', ')} as without consent.`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
