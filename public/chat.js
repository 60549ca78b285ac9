// The web chat page: posts what the person types or presses, draws the bot's replies and buttons.
// Plain browser JavaScript so the page needs no build step.

const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const SESSION_KEY = 'taawun.session';
const HISTORY_KEY = 'taawun.history';
const HISTORY_SIZE = 30;
const POLL_MS = 5000;

const randomId = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

let sessionId = localStorage.getItem(SESSION_KEY);
const firstVisit = !sessionId;
if (!sessionId) {
  sessionId = randomId();
  localStorage.setItem(SESSION_KEY, sessionId);
}

function bubble(text, kind) {
  const div = document.createElement('div');
  div.className = `msg ${kind}`;
  div.dir = 'auto';
  div.textContent = text;
  log.append(div);
  log.scrollTop = log.scrollHeight;
}

function disableOldChoices() {
  for (const button of log.querySelectorAll('.choices button')) button.disabled = true;
}

function showChoices(choices, token) {
  const row = document.createElement('div');
  row.className = 'choices';
  for (const choice of choices) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = choice.label;
    button.dir = 'auto';
    button.addEventListener('click', () => {
      bubble(choice.label, 'me');
      remember([{ text: choice.label, mine: true }]);
      void post({ choice: { id: choice.id, token } });
    });
    row.append(button);
  }
  log.append(row);
  log.scrollTop = log.scrollHeight;
}

/** Keeps the last messages so a reload shows the conversation where it was, buttons included. */
function remember(messages) {
  const history = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]').concat(messages);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(history.slice(-HISTORY_SIZE)));
}

function show(messages, save = true) {
  if (save) remember(messages);
  if (messages.length) disableOldChoices();
  for (const message of messages) {
    bubble(message.text, message.mine ? 'me' : 'bot');
    if (message.choices?.length) showChoices(message.choices, message.choiceToken);
  }
}

/** Sends one message; the same messageId is reused on retry so the bot never handles it twice. */
async function post(content, attempt = 0, messageId = randomId()) {
  disableOldChoices();
  try {
    const res = await fetch('web/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, messageId, ...content }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    show((await res.json()).messages);
  } catch {
    if (attempt < 3) {
      setTimeout(() => void post(content, attempt + 1, messageId), 1000 * 2 ** attempt);
    } else {
      bubble(
        'تعذّر الاتصال. تحقّقي من الإنترنت وحاولي مرة أخرى. — Connection problem, please try again.',
        'error',
      );
    }
  }
}

async function poll() {
  if (document.visibilityState !== 'visible') return;
  try {
    const res = await fetch(`web/messages?sessionId=${encodeURIComponent(sessionId)}`);
    if (res.ok) show((await res.json()).messages);
  } catch {
    // Offline for now: the next poll tries again.
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  bubble(text, 'me');
  remember([{ text, mine: true }]);
  void post({ text });
});

setInterval(() => void poll(), POLL_MS);
const history = firstVisit ? [] : JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
if (history.length === 0) {
  void post({ text: '/start' });
} else {
  show(history, false);
  void poll();
}
