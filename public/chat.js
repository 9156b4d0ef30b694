// ZEMIGRA web chat: Botkit web-adapter protocol over a websocket. Everything people or advisors
// write is rendered with textContent, never as HTML.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var STORAGE = 'zemigra.chat';
  var state = JSON.parse(localStorage.getItem(STORAGE) || 'null') || { sessionId: newId(), language: null, privacyAccepted: false };
  var ui = {};
  var socket;
  var retry = 0;
  var typingTimer;

  function newId() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function save() { localStorage.setItem(STORAGE, JSON.stringify(state)); }

  function loadLanguage(code) {
    return fetch('/api/v1/locales/' + encodeURIComponent(code)).then(function (r) { return r.json(); }).then(function (data) {
      ui = data.ui || {};
      document.documentElement.lang = data.language;
      document.documentElement.dir = data.dir;
      $('title').textContent = ui.title; $('subtitle').textContent = ui.subtitle;
      $('language-label').textContent = ui.language; $('input').placeholder = ui.placeholder;
      $('input-label').textContent = ui.placeholder; $('send').textContent = ui.send;
      $('delete').textContent = ui.deleteChat; $('privacy-accept').textContent = ui.privacyAccept;
      $('privacy-text').textContent = data.privacyNotice;
      $('language').value = data.language;
    });
  }

  function renderMessage(message, who) {
    var item = document.createElement('li');
    item.className = who;
    if (who === 'advisor') {
      // A person from ZEMIGRA writes now, not the bot: say so on every such message.
      var label = document.createElement('div');
      label.className = 'from';
      label.textContent = ui.advisor || 'Advisor';
      item.appendChild(label);
    }
    var text = document.createElement('div');
    text.textContent = (message.text || '').replace(/\*\*/g, '');
    item.appendChild(text);
    if (message.sources && message.sources.length) {
      var sources = document.createElement('div');
      sources.className = 'sources';
      sources.appendChild(document.createTextNode((ui.sources || 'Sources') + ': '));
      message.sources.forEach(function (s, i) {
        var a = document.createElement('a');
        a.href = /^https?:\/\//.test(s.url) ? s.url : '#';
        a.textContent = s.title; a.target = '_blank'; a.rel = 'noopener noreferrer';
        if (i) sources.appendChild(document.createTextNode(' · '));
        sources.appendChild(a);
      });
      item.appendChild(sources);
    }
    if (message.quick_replies && message.quick_replies.length) {
      var quick = document.createElement('div');
      quick.className = 'quick';
      message.quick_replies.forEach(function (q) {
        var b = document.createElement('button');
        b.type = 'button'; b.textContent = q.title;
        b.addEventListener('click', function () { send(q.payload, q.title); });
        quick.appendChild(b);
      });
      item.appendChild(quick);
    }
    $('log').appendChild(item);
    item.scrollIntoView({ block: 'end' });
  }

  function send(text, shown) {
    if (!socket || socket.readyState !== 1) return;
    renderMessage({ text: shown || text }, 'user');
    var frame = { type: 'message', user: state.sessionId, channel: 'socket', text: text };
    if (state.language) frame.language = state.language;
    if (state.token) frame.token = state.token;
    socket.send(JSON.stringify(frame));
    $('status').textContent = ui.typing || '';
    // While an advisor has the conversation the bot does not answer: do not show "writing…" forever.
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { $('status').textContent = state.withAdvisor ? (ui.withAdvisor || '') : ''; }, 4000);
  }

  function connect() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    socket = new WebSocket(url);
    socket.onopen = function () {
      $('status').textContent = '';
      socket.send(JSON.stringify({ type: retry || state.greeted ? 'welcome_back' : 'hello', user: state.sessionId, channel: 'socket', language: state.language || undefined, token: state.token || undefined }));
      state.greeted = true; save(); retry = 0;
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.session && message.session.id === state.sessionId) { state.token = message.session.token; save(); }
      if (message.type !== 'message') return;
      clearTimeout(typingTimer);
      if (message.role === 'advisor') state.withAdvisor = true;
      else if (message.escalation === null) state.withAdvisor = false;
      save();
      $('status').textContent = state.withAdvisor ? (ui.withAdvisor || '') : '';
      renderMessage(message, message.role === 'advisor' ? 'advisor' : 'bot');
    };
    socket.onclose = function () {
      $('status').textContent = ui.reconnecting || '';
      retry++;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, retry)));
    };
  }

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = $('input').value.trim();
    if (value) { send(value); $('input').value = ''; }
  });
  $('language').addEventListener('change', function (event) {
    state.language = event.target.value; save(); loadLanguage(state.language);
  });
  $('privacy-accept').addEventListener('click', function () { state.privacyAccepted = true; save(); $('privacy').hidden = true; $('input').focus(); });
  $('delete').addEventListener('click', function () {
    if (state.token) {
      fetch('/api/v1/chat/' + encodeURIComponent(state.sessionId), { method: 'DELETE', headers: { Authorization: 'Bearer ' + state.token } });
    }
    localStorage.removeItem(STORAGE);
    state = { sessionId: newId(), language: state.language, privacyAccepted: true };
    save(); $('log').textContent = ''; $('status').textContent = ui.deleted || '';
    if (socket) socket.close();
  });

  fetch('/api/v1/languages').then(function (r) { return r.json(); }).then(function (data) {
    data.languages.forEach(function (l) {
      var option = document.createElement('option');
      option.value = l.code; option.textContent = l.name; $('language').appendChild(option);
    });
    var browser = (navigator.language || 'de').slice(0, 2);
    var initial = state.language || (data.languages.some(function (l) { return l.code === browser; }) ? browser : 'de');
    $('privacy').hidden = Boolean(state.privacyAccepted);
    return loadLanguage(initial);
  }).then(connect);
})();
