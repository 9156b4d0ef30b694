// ZEMIGRA web chat: the page at / and the widget partner sites embed are this one script.
// Plain script, no build step, no framework: a partner page loads it next to its own code.
// Everything a person, the bot or an advisor wrote goes into the page as text (textContent), never
// as markup, and every frame from the server is checked before anything of it is shown.
(function () {
  'use strict';

  var script = document.currentScript;
  var given = window.ZemigraChat && typeof window.ZemigraChat === 'object' ? window.ZemigraChat : {};
  var data = (script && script.dataset) || {};
  var colors = given.colors && typeof given.colors === 'object' ? given.colors : {};
  var PAGE = (given.mode || data.mode) === 'page';
  var SERVER = originOf(given.server || data.server || (script && script.src) || location.href);
  var STORE_KEY = 'zemigra.chat';
  var SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;
  var TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
  var CURSOR = /^\d{1,15}$/;
  var OPEN_STATUSES = { queued: 'waiting', assigned: 'withAdvisor', callback: 'callbackWaiting' };
  var ADVISOR_PAYLOAD = 'intent:handoff.request';
  var CONTACT_PLACEHOLDER = '[callback contact]';
  var FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';
  var FEEDBACK = /^feedback:/;
  var ERRORS = { rate_limited: 'errorBusy', store_unavailable: 'errorUnavailable', not_ready: 'errorUnavailable' };
  var PAGE_SIZE = 200;
  var TYPING_MS = 15000;

  var languages = []; // [{ code, name, dir }] from the service
  var ui = {};
  var locales = {};
  var state = loadState();
  var socket = null;
  var socketReady = false;
  var outbox = [];
  var retry = 0;
  var retryTimer = null;
  var typingTimer = null;
  var seen = {}; // cursors already shown: a reconnect's catch-up and a live frame may carry the same message
  var escalation = null; // 'queued' | 'assigned' | 'callback' | null
  var ids = 0;
  var root; // Document (page) or ShadowRoot (widget): ids are unique within it
  var launcher;

  /** Only the server's own origin is ever contacted; a path in the configured URL is ignored. */
  function originOf(url) {
    try {
      var parsed = new URL(url, location.href);
      return /^https?:$/.test(parsed.protocol) ? parsed.origin : location.origin;
    } catch (e) {
      return location.origin;
    }
  }

  // --- state in localStorage (may be unavailable: private modes, blocked storage) ---------------

  function newId() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function loadState() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null'); } catch (e) { saved = null; }
    var s = saved && typeof saved === 'object' ? saved : {};
    return {
      sessionId: typeof s.sessionId === 'string' && SESSION_ID.test(s.sessionId) ? s.sessionId : newId(),
      token: typeof s.token === 'string' && TOKEN.test(s.token) ? s.token : null,
      language: typeof s.language === 'string' ? s.language : null,
      chosen: s.chosen === true,
      privacyAccepted: s.privacyAccepted === true,
      cursor: typeof s.cursor === 'string' && CURSOR.test(s.cursor) ? s.cursor : '0',
      open: s.open === true,
    };
  }
  function save() {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* this page only */ }
  }

  // --- small DOM helpers ------------------------------------------------------------------------

  /** createElement with attributes set as attributes and children as text nodes: nothing is parsed. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else if (key === 't') { node.setAttribute('data-t', value); node.textContent = t(value); }
      else if (key === 'tLabel') { node.setAttribute('data-t-label', value); node.setAttribute('aria-label', t(value)); }
      else node.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child !== null && child !== undefined && child !== false) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  function $(id) { return root.getElementById(id); }
  function uid(prefix) { ids += 1; return 'zc-' + prefix + '-' + ids; }
  function t(key, values) {
    var text = typeof ui[key] === 'string' ? ui[key] : '';
    return text.replace(/\{\{(\w+)\}\}/g, function (_, name) { return values && values[name] !== undefined ? values[name] : ''; });
  }
  function str(value, max) { return typeof value === 'string' && value.length <= max ? value : null; }
  function languageInfo(code) {
    for (var i = 0; i < languages.length; i++) if (languages[i].code === code) return languages[i];
    return null;
  }
  /** A click from the keyboard has detail 0: move focus on for keyboard users, but do not pop up a phone's keyboard. */
  function byKeyboard(event) { return !event || event.detail === 0; }

  // --- building the interface -------------------------------------------------------------------

  function build(host) {
    var heading = PAGE ? 'h1' : 'h2';
    var chat = el(PAGE ? 'main' : 'section', { className: 'zc', id: 'chat', 'aria-labelledby': 'title' },
      el('header', { className: 'zc-head' },
        el('div', { className: 'zc-titles' }, el(heading, { id: 'title', t: 'title' }), el('p', { id: 'subtitle', t: 'subtitle' })),
        PAGE ? null : el('button', { type: 'button', id: 'close', className: 'zc-close', tLabel: 'closeChat' }, el('span', { 'aria-hidden': 'true', text: '×' })),
        el('div', { className: 'zc-tools' },
          el('label', { className: 'zc-lang' }, el('span', { id: 'language-label', t: 'language' }), el('select', { id: 'language' })),
          el('button', { type: 'button', id: 'advisor', className: 'zc-tool', t: 'talkToAdvisor', disabled: true }))),
      el('section', { id: 'privacy', className: 'zc-privacy', 'aria-labelledby': 'privacy-title' },
        el(PAGE ? 'h2' : 'h3', { id: 'privacy-title', t: 'privacyTitle' }),
        el('p', { id: 'privacy-text' }),
        el('p', { t: 'privacyStorage' }),
        el('button', { type: 'button', id: 'privacy-accept', className: 'zc-primary', t: 'privacyAccept' })),
      el('ol', { id: 'log', className: 'zc-log', tLabel: 'history', tabindex: '0' }),
      el('p', { id: 'typing', className: 'zc-typing', hidden: true }, el('span', { t: 'typing' }), el('span', { className: 'zc-dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i'))),
      el('p', { id: 'handover', className: 'zc-handover', role: 'status', hidden: true }),
      el('p', { id: 'status', className: 'zc-status', role: 'status' }),
      el('div', { id: 'announcer', className: 'zc-sr', 'aria-live': 'polite' }),
      el('form', { id: 'composer', className: 'zc-composer', novalidate: true },
        el('label', { 'for': 'input', className: 'zc-sr', id: 'input-label', t: 'messageLabel' }),
        el('input', { id: 'input', type: 'text', autocomplete: 'off', maxlength: '2000', enterkeyhint: 'send', dir: 'auto', disabled: true, 'aria-describedby': 'input-hint' }),
        el('button', { id: 'send', type: 'submit', className: 'zc-primary', t: 'send', disabled: true }),
        el('p', { id: 'input-hint', className: 'zc-hint', t: 'privacyFirst' })),
      el('div', { className: 'zc-foot' }, el('button', { type: 'button', id: 'delete', className: 'zc-link', t: 'deleteChat', disabled: true })),
      el('div', { id: 'confirm', className: 'zc-confirm', role: 'group', 'aria-labelledby': 'confirm-text', hidden: true },
        el('p', { id: 'confirm-text', t: 'deleteConfirm' }),
        el('button', { type: 'button', id: 'confirm-yes', className: 'zc-danger', t: 'deleteYes' }),
        el('button', { type: 'button', id: 'confirm-no', className: 'zc-secondary', t: 'cancel' })));
    if (PAGE) {
      host.textContent = '';
      host.appendChild(chat);
      return chat;
    }
    var frame = el('div', { className: 'zc-widget', dir: document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr', hidden: true });
    launcher = el('button', { type: 'button', id: 'launcher', className: 'zc-launcher', 'aria-expanded': 'false', 'aria-controls': 'chat' },
      icon(), el('span', { id: 'launcher-text', t: 'openChat' }), el('span', { className: 'zc-badge', id: 'badge', hidden: true }, el('span', { className: 'zc-sr', t: 'newMessage' })));
    chat.hidden = true;
    chat.setAttribute('role', 'dialog');
    frame.appendChild(chat);
    frame.appendChild(launcher);
    // The partner's styles stop at the shadow boundary, and ours do not leak into the partner's page.
    var shadow = host.attachShadow({ mode: 'open' });
    var css = el('link', { rel: 'stylesheet', href: SERVER + '/widget.css' });
    css.addEventListener('load', function () { frame.hidden = false; });
    shadow.appendChild(css);
    shadow.appendChild(frame);
    return chat;
  }

  function icon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
    svg.appendChild(path);
    return svg;
  }

  /** Partner colours only when white text on them stays readable (WCAG AA, 4.5:1); otherwise ours. */
  function applyColors(node) {
    [['primary', '--zc-primary'], ['header', '--zc-header']].forEach(function (pair) {
      var value = colors[pair[0]] || data[pair[0]];
      if (!value) return;
      if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) || contrastWithWhite(value) < 4.5) {
        if (window.console) console.warn('ZEMIGRA chat: colour ' + pair[0] + ' ignored, white text on it would not be readable (needs 4.5:1).');
        return;
      }
      node.style.setProperty(pair[1], value);
    });
  }
  function contrastWithWhite(hex) {
    var h = hex.length === 4 ? hex.replace(/([0-9a-f])/gi, '$1$1').slice(1) : hex.slice(1);
    var lum = [0, 2, 4].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 1.05 / (0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2] + 0.05);
  }

  // --- language ---------------------------------------------------------------------------------

  function getJson(path, token) {
    var headers = { accept: 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(SERVER + path, { headers: headers, credentials: 'omit', cache: token ? 'no-store' : 'default' }).then(function (response) {
      if (!response.ok) {
        var error = new Error('HTTP ' + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  function loadLanguages() {
    return getJson('/api/v1/languages').then(function (body) {
      var list = body && Array.isArray(body.languages) ? body.languages : [];
      languages = list.filter(function (l) {
        return l && /^[a-z]{2}$/.test(l.code) && str(l.name, 60) && (l.dir === 'rtl' || l.dir === 'ltr');
      });
      if (!languages.length) throw new Error('no languages');
      var select = $('language');
      languages.forEach(function (l) {
        select.appendChild(el('option', { value: l.code, lang: l.code, dir: l.dir, text: l.name }));
      });
    });
  }

  function initialLanguage() {
    var query = PAGE ? new URLSearchParams(location.search).get('lang') : null;
    var wanted = [query, state.language, given.language || data.language]
      .concat((navigator.languages || [navigator.language || '']).map(function (l) { return String(l).slice(0, 2); }), 'de');
    for (var i = 0; i < wanted.length; i++) if (languageInfo(wanted[i])) return wanted[i];
    return languages[0].code;
  }

  var wantedLanguage = null;
  /** Loads the UI texts of a language and relabels everything; the latest request wins. */
  function applyLanguage(code) {
    wantedLanguage = code;
    var cached = locales[code];
    var load = cached ? Promise.resolve(cached) : getJson('/api/v1/locales/' + encodeURIComponent(code)).then(function (body) {
      if (!body || body.language !== code || !body.ui || typeof body.ui !== 'object') throw new Error('bad locale');
      var texts = {};
      Object.keys(body.ui).forEach(function (key) { if (str(body.ui[key], 1000) !== null) texts[key] = body.ui[key]; });
      locales[code] = { ui: texts, dir: body.dir === 'rtl' ? 'rtl' : 'ltr', privacy: str(body.privacyNotice, 4000) || '' };
      return locales[code];
    });
    return load.then(function (locale) {
      if (wantedLanguage !== code) return;
      ui = locale.ui;
      state.language = code;
      save();
      var chat = $('chat');
      chat.lang = code;
      chat.dir = locale.dir;
      if (PAGE) {
        document.documentElement.lang = code;
        document.documentElement.dir = locale.dir;
        document.title = t('title');
      } else {
        launcher.lang = code;
      }
      Array.prototype.forEach.call(root.querySelectorAll('[data-t]'), function (node) { node.textContent = t(node.getAttribute('data-t')); });
      Array.prototype.forEach.call(root.querySelectorAll('[data-t-label]'), function (node) { node.setAttribute('aria-label', t(node.getAttribute('data-t-label'))); });
      $('privacy-text').textContent = locale.privacy;
      $('input').placeholder = t('placeholder');
      $('language').value = code;
      showHandover();
    });
  }

  /** The server answered in another language (the person wrote in it): follow, unless they chose one. */
  function followLanguage(code) {
    if (!code || code === state.language || !languageInfo(code)) return;
    applyLanguage(code).then(function () { setStatus(t('languageNow', { language: languageInfo(code).name })); });
  }

  // --- messages ---------------------------------------------------------------------------------

  /** What the server sent, reduced to what we show; null when it is not a message we understand. */
  function cleanMessage(raw, roles) {
    if (!raw || typeof raw !== 'object') return null;
    var role = raw.role === undefined ? 'bot' : raw.role;
    var text = str(raw.text, 20000);
    if (roles.indexOf(role) < 0 || text === null) return null;
    var quick = raw.quick_replies !== undefined ? raw.quick_replies : raw.quickReplies;
    return {
      role: role,
      text: text,
      language: languageInfo(raw.language) ? raw.language : null,
      cursor: typeof raw.cursor === 'string' && CURSOR.test(raw.cursor) ? raw.cursor : null,
      quickReplies: (Array.isArray(quick) ? quick : []).slice(0, 20).filter(function (q) {
        return q && str(q.title, 200) && str(q.payload, 200);
      }),
      sources: (Array.isArray(raw.sources) ? raw.sources : []).slice(0, 12).filter(function (s) {
        if (!s || !str(s.title, 300) || !str(s.url, 2000)) return false;
        try { return /^https?:$/.test(new URL(s.url).protocol); } catch (e) { return false; }
      }),
    };
  }

  /** `**bold**` is the only markup in the bot's texts: made into <strong> from text, never parsed as HTML. */
  function richText(node, text) {
    text.split(/\*\*/).forEach(function (part, i) {
      if (part) node.appendChild(i % 2 ? el('strong', { text: part }) : document.createTextNode(part));
    });
  }

  function addMessage(m, live) {
    if (m.cursor) {
      if (seen[m.cursor]) return;
      seen[m.cursor] = true;
      if (Number(m.cursor) > Number(state.cursor)) { state.cursor = m.cursor; save(); }
    }
    var info = languageInfo(m.language);
    var item = el('li', { className: 'zc-msg ' + m.role, lang: info ? info.code : null, dir: info ? info.dir : null });
    var body = el('div', { className: 'zc-text', dir: m.role === 'bot' ? null : 'auto' });
    if (m.role === 'advisor') item.appendChild(el('p', { className: 'from', t: 'advisor' }));
    else item.appendChild(el('span', { className: 'zc-sr', t: m.role === 'user' ? 'you' : 'bot' }));
    if (m.role === 'bot') richText(body, m.text);
    // The transcript keeps no callback number or address, only this mark (src/dialog/middleware/nlu.middleware.ts).
    else if (m.role === 'user' && m.text === CONTACT_PLACEHOLDER) body.appendChild(el('em', { t: 'contactGiven' }));
    else body.textContent = m.text;
    item.appendChild(body);
    if (m.sources && m.sources.length) {
      var list = el('ul');
      m.sources.forEach(function (s) {
        list.appendChild(el('li', null, el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title, el('span', { className: 'zc-sr' }, ' (', el('span', { t: 'newTab' }), ')'))));
      });
      item.appendChild(el('div', { className: 'zc-sources' }, el('p', { t: 'sources' }), list));
    }
    var feedback = (m.quickReplies || []).filter(function (q) { return FEEDBACK.test(q.payload); });
    var quick = (m.quickReplies || []).filter(function (q) { return !FEEDBACK.test(q.payload); });
    if (quick.length && live !== 'history') {
      var group = el('div', { className: 'zc-quick', role: 'group', tLabel: 'quickReplies' });
      quick.forEach(function (q) {
        var button = el('button', { type: 'button', text: q.title });
        button.addEventListener('click', function (event) { send(q.payload, q.title, event); });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    if (feedback.length) item.appendChild(feedbackGroup(feedback));
    var log = $('log');
    log.appendChild(item);
    // A long answer is read from its start; everything else keeps the newest line in view. (Not
    // scrollIntoView: that would scroll the partner's page under the widget, too.)
    log.scrollTop = m.role !== 'user' && item.offsetHeight > log.clientHeight ? item.offsetTop - 8 : log.scrollHeight;
    if (live === true && m.role !== 'user') {
      announce((m.role === 'advisor' ? t('advisor') : t('bot')) + ': ' + m.text.replace(/\*\*/g, ''));
      if (!PAGE && launcher.getAttribute('aria-expanded') !== 'true') $('badge').hidden = false;
    }
    return item;
  }

  function feedbackGroup(buttons) {
    var question = uid('feedback');
    var group = el('div', { className: 'zc-feedback', role: 'group', 'aria-labelledby': question }, el('span', { id: question, t: 'feedbackQuestion' }));
    buttons.forEach(function (q) {
      var button = el('button', { type: 'button', text: q.title });
      button.addEventListener('click', function (event) {
        send(q.payload, q.title, event);
        feedbackGiven(group);
      });
      group.appendChild(button);
    });
    return group;
  }
  function feedbackGiven(group) {
    group.textContent = '';
    group.removeAttribute('role');
    group.appendChild(el('span', { t: 'feedbackThanks' }));
  }

  /** A polite live region with only the new messages: the history a reload shows is not read out again. */
  function announce(text) {
    var announcer = $('announcer');
    announcer.appendChild(el('p', { text: text }));
    while (announcer.childNodes.length > 3) announcer.removeChild(announcer.firstChild);
  }

  function setStatus(text) { $('status').textContent = text || ''; }

  function typing(on) {
    clearTimeout(typingTimer);
    $('typing').hidden = !on;
    // While an advisor has the conversation the bot stays silent; a lost answer must not leave "writing…" forever.
    if (on) typingTimer = setTimeout(function () { $('typing').hidden = true; }, TYPING_MS);
  }

  function setEscalation(raw) {
    if (raw === undefined) return;
    escalation = raw && typeof raw === 'object' && OPEN_STATUSES[raw.status] ? raw.status : null;
    showHandover();
  }
  function showHandover() {
    var node = $('handover');
    node.hidden = !escalation;
    node.textContent = escalation ? t(OPEN_STATUSES[escalation]) : '';
    node.className = 'zc-handover' + (escalation === 'assigned' ? ' live' : '');
    // Asking again while a request is open only repeats "you are in the queue".
    $('advisor').hidden = Boolean(escalation);
  }

  // --- the conversation with the server ---------------------------------------------------------

  function send(text, shown, event) {
    if (!state.privacyAccepted) return;
    Array.prototype.forEach.call(root.querySelectorAll('.zc-quick'), function (group) { group.parentNode.removeChild(group); });
    addMessage({ role: 'user', text: shown || text });
    var frame = { type: 'message', user: state.sessionId, text: text };
    if (state.chosen) frame.language = state.language;
    outbox.push(frame);
    flush();
    if (escalation !== 'assigned') typing(true);
    if (!socketReady && retry > 0) setStatus(t('sendLater'));
    // The pressed button is gone now: keyboard users go on typing; on a touch screen the focus stays
    // near the conversation (a screen reader keeps its place) without popping up the keyboard.
    if (byKeyboard(event)) $('input').focus();
    else if (event) $('log').focus({ preventScroll: true });
  }

  function flush() {
    if (!socketReady) return connect();
    while (outbox.length) socket.send(JSON.stringify(outbox.shift()));
  }

  function connect() {
    if (socket || !state.privacyAccepted) return;
    clearTimeout(retryTimer);
    var ws = new WebSocket(SERVER.replace(/^http/, 'ws') + '/ws');
    var reconnect = retry > 0;
    socket = ws;
    ws.onopen = function () {
      // A session we already have needs its token; a new one gets the greeting and its token.
      ws.send(JSON.stringify({ type: state.token ? 'welcome_back' : 'hello', user: state.sessionId, language: state.language, token: state.token || undefined }));
      socketReady = true;
      retry = 0;
      setStatus('');
      flush();
      if (reconnect && state.token) catchUp();
    };
    ws.onmessage = function (event) {
      if (socket !== ws) return; // a late frame of a forgotten session must not show in the new one
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === 'object') receive(frame);
    };
    ws.onclose = function () {
      if (socket !== ws) return;
      socket = null;
      socketReady = false;
      if (!state.privacyAccepted) return;
      setStatus(t('reconnecting'));
      retry += 1;
      retryTimer = setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, retry - 1)) * (0.75 + Math.random() / 2));
    };
  }

  function disconnect() {
    clearTimeout(retryTimer);
    var ws = socket;
    socket = null;
    socketReady = false;
    retry = 0;
    if (ws) ws.close();
  }

  function receive(frame) {
    if (frame.type === 'error') return failed(frame.error && typeof frame.error.code === 'string' ? frame.error.code : '');
    if (frame.type !== 'message') return;
    var session = frame.session;
    if (session && session.id === state.sessionId && typeof session.token === 'string' && TOKEN.test(session.token)) {
      state.token = session.token;
      save();
    }
    var m = cleanMessage(frame, ['bot', 'advisor']);
    if (!m) return;
    typing(false);
    if (m.role === 'advisor') setEscalation({ status: 'assigned' });
    else setEscalation(frame.escalation);
    if (m.role === 'bot') followLanguage(m.language);
    addMessage(m, true);
  }

  function failed(code) {
    typing(false);
    if (code === 'unauthorized') return startOver('newSession');
    setStatus(t(ERRORS[code] || 'errorGeneric'));
  }

  /** Forgets the session in this browser: the next message starts a new conversation. */
  function forget() {
    disconnect();
    outbox = [];
    seen = {};
    $('log').textContent = '';
    state.sessionId = newId();
    state.token = null;
    state.cursor = '0';
    save();
    setEscalation(null);
    typing(false);
  }

  /** The session is gone on the server (erased, expired) or refused: a fresh one, and say so. */
  function startOver(message) {
    forget();
    setStatus(message ? t(message) : '');
    if (message === 'newSession') connect();
  }

  /** All stored messages after a cursor, page by page (the route gives at most 200 at once). */
  function fetchMessages(after, collected) {
    return getJson('/api/v1/chat/' + encodeURIComponent(state.sessionId) + '/messages?after=' + after, state.token).then(function (body) {
      var page = body && Array.isArray(body.messages) ? body.messages : [];
      var all = collected.concat(page);
      var next = body && typeof body.cursor === 'string' && CURSOR.test(body.cursor) ? body.cursor : null;
      if (page.length >= PAGE_SIZE && next && next !== after && all.length < 5000) return fetchMessages(next, all);
      return { messages: all, escalation: body ? body.escalation : null };
    });
  }

  /** After a reload: the earlier messages, so the person can read on where they left off. */
  function resume() {
    if (!state.token) return Promise.resolve();
    return fetchMessages('0', []).then(function (result) {
      var shown = [];
      result.messages.forEach(function (raw, i) {
        var m = cleanMessage(raw, ['user', 'bot', 'advisor']);
        if (!m) return;
        if (m.role === 'user') {
          // Buttons send machine text ("feedback:helpful"): show the button's title as it was shown then.
          var previous = shown[shown.length - 1];
          var pressed = previous && previous.m.quickReplies.filter(function (q) { return q.payload === m.text; })[0];
          if (pressed && FEEDBACK.test(pressed.payload)) {
            var group = previous.item.querySelector('.zc-feedback');
            if (group) feedbackGiven(group);
          }
          if (pressed) m.text = pressed.title;
          else if (m.text === ADVISOR_PAYLOAD) m.text = t('talkToAdvisor');
          else if (/^[a-z]+:[a-z0-9._-]+$/.test(m.text)) return;
        }
        var last = i === result.messages.length - 1;
        shown.push({ m: m, item: addMessage(m, last ? false : 'history') });
      });
      setEscalation(result.escalation);
    }, function (error) {
      if (error.status === 404 || error.status === 401) startOver(null);
    });
  }

  /** After a reconnect: what the bot or an advisor sent while the socket was down. */
  function catchUp() {
    fetchMessages(state.cursor, []).then(function (result) {
      result.messages.forEach(function (raw) {
        var m = cleanMessage(raw, ['bot', 'advisor']);
        if (m && m.cursor && !seen[m.cursor]) addMessage(m, true);
      });
      setEscalation(result.escalation);
    }, function () { /* the next reconnect tries again */ });
  }

  function deleteChat() {
    var done = function () {
      forget();
      hideConfirm(false);
      setStatus(t('deleted'));
      $('input').focus();
    };
    if (!state.token) return done();
    fetch(SERVER + '/api/v1/chat/' + encodeURIComponent(state.sessionId), { method: 'DELETE', headers: { authorization: 'Bearer ' + state.token }, credentials: 'omit' })
      .then(function (response) {
        if (response.status === 204 || response.status === 404) return done();
        throw new Error('HTTP ' + response.status);
      })
      .catch(function () {
        hideConfirm(true);
        setStatus(t('deleteFailed'));
      });
  }

  function hideConfirm(focusDelete) {
    $('confirm').hidden = true;
    if (focusDelete) $('delete').focus();
  }

  // --- privacy notice, widget panel --------------------------------------------------------------

  function showPrivacy() {
    var accepted = state.privacyAccepted;
    $('privacy').hidden = accepted;
    $('input-hint').hidden = accepted;
    ['input', 'send', 'advisor', 'delete'].forEach(function (id) { $(id).disabled = !accepted; });
    // A hidden hint would still be read as the input's description: drop the reference with it.
    if (accepted) $('input').removeAttribute('aria-describedby');
  }

  function openPanel(focus) {
    $('chat').hidden = false;
    // Full screen on a phone: the page behind is out of reach, so screen readers should stay inside too.
    $('chat').setAttribute('aria-modal', String(matchMedia('(max-width: 30em), (max-height: 34em)').matches));
    launcher.setAttribute('aria-expanded', 'true');
    launcher.classList.add('open');
    launcherText('closeChat');
    $('badge').hidden = true;
    state.open = true;
    save();
    if (focus) (state.privacyAccepted ? $('input') : $('privacy-accept')).focus();
    var log = $('log');
    log.scrollTop = log.scrollHeight;
    connect();
  }
  /** A modal panel (full screen on a phone) keeps Tab inside: the page behind is out of sight. */
  function keepFocusInside(event) {
    if ($('chat').getAttribute('aria-modal') !== 'true') return;
    var items = Array.prototype.filter.call($('chat').querySelectorAll(FOCUSABLE), function (node) {
      return !node.disabled && node.getClientRects().length > 0;
    });
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    var wrapTo = event.shiftKey ? (event.target === first ? last : null) : event.target === last ? first : null;
    if (!wrapTo) return;
    event.preventDefault();
    wrapTo.focus();
  }
  function launcherText(key) {
    var text = $('launcher-text');
    text.setAttribute('data-t', key);
    text.textContent = t(key);
  }
  function closePanel() {
    $('chat').hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.classList.remove('open');
    launcherText('openChat');
    state.open = false;
    save();
    launcher.focus();
  }

  function wire() {
    $('composer').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = $('input');
      var value = input.value.trim();
      if (!value || !state.privacyAccepted) return;
      input.value = '';
      send(value);
      input.focus();
    });
    $('language').addEventListener('change', function (event) {
      state.chosen = true;
      applyLanguage(event.target.value);
    });
    $('privacy-accept').addEventListener('click', function () {
      state.privacyAccepted = true;
      save();
      showPrivacy();
      $('input').focus();
      connect();
    });
    $('advisor').addEventListener('click', function (event) { send(ADVISOR_PAYLOAD, t('talkToAdvisor'), event); });
    $('delete').addEventListener('click', function () {
      $('confirm').hidden = false;
      $('confirm-yes').focus();
    });
    $('confirm-yes').addEventListener('click', deleteChat);
    $('confirm-no').addEventListener('click', function () { hideConfirm(true); });
    $('chat').addEventListener('keydown', function (event) {
      if (event.key === 'Tab') return keepFocusInside(event);
      if (event.key !== 'Escape') return;
      if (!$('confirm').hidden) hideConfirm(true);
      else if (!PAGE) closePanel();
      else return;
      event.stopPropagation();
    });
    if (!PAGE) {
      launcher.addEventListener('click', function () {
        if (launcher.getAttribute('aria-expanded') === 'true') closePanel();
        else openPanel(true);
      });
      $('close').addEventListener('click', closePanel);
    }
    // Phones drop sockets when the screen is off, often without telling the page: after a while away,
    // a fresh socket (and a catch-up) rather than one that may be dead.
    var hiddenAt = 0;
    var wake = function () {
      if (document.visibilityState === 'hidden') return void (hiddenAt = Date.now());
      if (!state.privacyAccepted || !state.token) return;
      if (socket && hiddenAt && Date.now() - hiddenAt > 20000) {
        var stale = socket;
        socket = null;
        socketReady = false;
        stale.onclose = null;
        stale.close();
      }
      hiddenAt = 0;
      if (!socket) { retry = Math.max(retry, 1); connect(); }
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
  }

  function start() {
    var host;
    if (PAGE) {
      host = document.getElementById('zemigra-chat') || document.body;
      root = document;
    } else {
      host = el('div', { 'data-zemigra-chat': '' });
      document.body.appendChild(host);
    }
    var chat = build(host);
    if (!PAGE) root = host.shadowRoot;
    applyColors(PAGE ? chat : root.querySelector('.zc-widget'));
    chat.classList.add('zc-loading');
    loadLanguages()
      .then(function () { return applyLanguage(initialLanguage()); })
      .then(function () {
        chat.classList.remove('zc-loading');
        wire();
        showPrivacy();
        if (!PAGE && state.open) openPanel(false);
        return resume();
      })
      .then(function () { if (state.privacyAccepted && (state.token || PAGE || state.open)) connect(); })
      .catch(function () {
        if (!PAGE) return host.parentNode && host.parentNode.removeChild(host);
        host.textContent = '';
        host.appendChild(el('p', { className: 'zc-down', text: 'Der Chat ist gerade nicht erreichbar. Bitte laden Sie die Seite später neu. / The chat is not available right now. Please reload the page later.' }));
      });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
