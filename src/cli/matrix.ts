// npm run matrix: the disclosure matrix, printed from the policy rules themselves.
import { LEGAL_BASIS, PROTECTED_FIELDS, PURPOSES, ROLE_RULES, ROLES, type ProtectedField } from '../policy';

const fields = Object.keys(PROTECTED_FIELDS) as ProtectedField[];
const lines = [
  '## Who may declare which purpose',
  '',
  '| Role | Purposes | Customers it reaches | Orders it reaches | Writes |',
  '|---|---|---|---|---|',
  ...ROLES.map((role) => {
    const rule = ROLE_RULES[role];
    return `| ${role} | ${rule.purposes.join(', ') || '—'} | ${rule.customers} | ${rule.orders} | ${rule.actions.join(', ') || '—'} |`;
  }),
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
];
process.stdout.write(`${lines.join('\n')}\n`);
