// The "Here now" list of a presence channel: one entry per user, however many tabs they have.
import { h } from './dom.js';

/** Renders `members` (`{ id, info }`) into `list`, marking `meId`, and the count into `count`. */
export function showMembers({ list, count }, members, meId) {
  const sorted = [...members].sort((a, b) => (a.id === meId ? -1 : b.id === meId ? 1 : nameOf(a).localeCompare(nameOf(b))));
  list.replaceChildren(
    ...sorted.map((member) =>
      h('li', { class: member.id === meId ? 'member me' : 'member', dataset: { id: member.id } },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, nameOf(member).slice(0, 1).toUpperCase()),
        h('span', { class: 'name' }, nameOf(member)),
        member.id === meId ? h('span', { class: 'you' }, 'you') : null)),
  );
  count.textContent = String(members.length);
}

/** A member's display name: its `info.name`, else its id. */
export function nameOf(member) {
  return typeof member.info?.name === 'string' ? member.info.name : member.id;
}
