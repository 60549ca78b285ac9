// The web chat page: posts what the person types or presses, draws the bot's replies and buttons.
// Plain browser JavaScript so the page needs no build step.

const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const attach = document.getElementById('attach');
const picker = document.getElementById('photo');
const SESSION_KEY = 'taawun.session';
const HISTORY_KEY = 'taawun.history';
const HISTORY_SIZE = 30;
const POLL_MS = 5000;
// What the server keeps (JPEG, PNG, WebP up to 5 MB); other photos are made to fit before they are sent.
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PHOTO_MAX_SIDE = 1600;
const CONNECTION_ERROR =
  'تعذّر الاتصال. تحقّقي من الإنترنت وحاولي مرة أخرى. — Connection problem, please try again.';
const TOO_MANY_PHOTOS =
  'وصلتنا صور كثيرة في وقت قصير. انتظري دقيقة من فضلكِ ثم أرسلي الصورة مرة أخرى. — ' +
  'Too many photos at once: please wait a minute and send it again.';

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

/** One message on screen; a photo (a URL) comes first, loaded only when scrolled near. */
function bubble(text, kind, photo) {
  const div = document.createElement('div');
  div.className = `msg ${kind}`;
  div.dir = 'auto';
  if (photo) {
    const img = document.createElement('img');
    img.src = photo;
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    div.append(img);
  }
  if (text) div.append(text);
  log.append(div);
  log.scrollTop = log.scrollHeight;
  return div;
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
    bubble(message.text, message.mine ? 'me' : 'bot', message.photo);
    if (message.choices?.length) showChoices(message.choices, message.choiceToken);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes a request, retrying on failure; the caller puts the same messageId in every try so the bot
 * never handles a message twice. Resolves with the answer's JSON, or null after the last try.
 * A 413 (photo too large) carries the bot's polite answer, so it is an answer too; so is a 429 (too
 * many photos), which trying again at once would not change.
 */
async function request(makeRequest) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await makeRequest();
      if (!res.ok && res.status !== 413 && res.status !== 429) throw new Error(`HTTP ${res.status}`);
      return await res.json();
    } catch {
      if (attempt >= 3) {
        bubble(CONNECTION_ERROR, 'error');
        return null;
      }
      await sleep(1000 * 2 ** attempt);
    }
  }
}

/** Sends one message (text or a pressed choice) and shows the replies. */
async function post(content) {
  disableOldChoices();
  const messageId = randomId();
  const answer = await request(() =>
    fetch('web/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, messageId, ...content }),
    }),
  );
  if (answer) show(answer.messages);
}

/** A photo as the server keeps it: a large or unusual one is redrawn as a JPEG of at most 1600 px. */
async function fitPhoto(file) {
  if (file.size <= PHOTO_MAX_BYTES && PHOTO_TYPES.includes(file.type)) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return (await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))) ?? file;
  } catch {
    // Not an image the browser can draw: the server says politely what it accepts.
    return file;
  }
}

/** Shows her photo at once, uploads it, then shows it from the server and the bot's replies. */
async function sendPhoto(file) {
  disableOldChoices();
  const photo = await fitPhoto(file);
  const preview = URL.createObjectURL(photo);
  const mine = bubble('', 'me sending', preview);
  const messageId = randomId();
  const query = `sessionId=${encodeURIComponent(sessionId)}&messageId=${messageId}`;
  const answer = await request(() =>
    fetch(`web/photos?${query}`, {
      method: 'POST',
      headers: { 'content-type': photo.type || 'application/octet-stream' },
      body: photo,
    }),
  );
  mine.classList.remove('sending');
  if (!answer) return;
  if (answer.error?.code === 'too_many_photos') {
    mine.remove();
    URL.revokeObjectURL(preview);
    bubble(TOO_MANY_PHOTOS, 'error');
    return;
  }
  // Kept: shown from the server from now on. Refused: the bot's answer says why.
  if (answer.photo) mine.querySelector('img').src = answer.photo;
  else mine.replaceChildren('📷');
  URL.revokeObjectURL(preview);
  remember([{ text: answer.photo ? '' : '📷', photo: answer.photo, mine: true }]);
  show(answer.messages);
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

attach.addEventListener('click', () => picker.click());
picker.addEventListener('change', () => {
  const file = picker.files?.[0];
  picker.value = '';
  if (file) void sendPhoto(file);
});

setInterval(() => void poll(), POLL_MS);
const history = firstVisit ? [] : JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
if (history.length === 0) {
  void post({ text: '/start' });
} else {
  show(history, false);
  void poll();
}
