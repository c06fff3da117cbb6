// The demo: sign in with a name, join a presence room (members, chat, typing), and watch the
// public announcements channel. Everything realtime goes through the Rust/WebAssembly SDK.
import init from './pkg/broadcast_client.js';
import { showAnnouncements } from './lib/announcements.js';
import { joinRoom } from './lib/room.js';
import { Session } from './lib/session.js';

await init();

const $ = (id) => document.getElementById(id);
const elements = {
  connection: $('connection'),
  messages: $('messages'),
  typing: $('typing'),
  members: $('members'),
  count: $('member-count'),
  composer: $('composer'),
  text: $('text'),
};

showAnnouncements({ list: $('announcements'), badge: $('announcements-state'), curl: $('curl') });

$('name').value ||= localStorage.getItem('broadcast-demo-name') ?? '';
let current = null;
// Disabled in the HTML until now: a click before the SDK loaded would submit the form natively.
$('join').disabled = false;

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  const room = $('room').value.trim();
  $('join').disabled = true;
  $('sign-in-error').textContent = '';
  try {
    const session = await Session.start(name);
    localStorage.setItem('broadcast-demo-name', name);
    current = joinRoom({ session, room, elements });
    $('room-title').textContent = room;
    $('signed-in-as').textContent = `as ${session.user.name}`;
    $('sign-in').hidden = true;
    $('room-view').hidden = false;
    $('text').focus();
  } catch (err) {
    $('sign-in-error').textContent = err.message;
  } finally {
    $('join').disabled = false;
  }
});

$('leave').addEventListener('click', () => {
  current?.leave();
  current = null;
  $('connection').dataset.state = 'idle';
  $('connection').textContent = 'Not connected';
  $('room-view').hidden = true;
  $('sign-in').hidden = false;
});
