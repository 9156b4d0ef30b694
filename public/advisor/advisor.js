// ZEMIGRA advisor console. Plain script, no build step.
// Everything people or advisors wrote is put into the page with textContent / createElement only:
// a transcript line is data, never markup (the server's CSP is the second line of defence).
(function () {
  'use strict';

  var TOKEN_KEY = 'zemigra.advisor.token';
  var API = '/api/v1';

  var LANGUAGES = { de: 'Deutsch', en: 'Englisch', ar: 'Arabisch', uk: 'Ukrainisch', ru: 'Russisch', fa: 'Persisch' };
  var REASONS = { requested: 'Wunsch der Person', urgent: 'Dringend', fallback: 'Bot wusste nicht weiter', feedback: 'Rückmeldung' };
  var STATUSES = { queued: 'Wartet', assigned: 'In Bearbeitung', callback: 'Rückruf', resolved: 'Erledigt', returned: 'An den Bot zurück' };
  var ROLES = { user: 'Person', bot: 'Bot', advisor: 'Beratung' };
  var ACCOUNT_ROLES = { advisor: 'Beratung', admin: 'Admin' };
  var ENTITY_TYPES = {
    profession: 'Beruf', ambiguous_profession: 'Beruf (mehrdeutig)', country: 'Herkunftsland', place: 'Ort',
    residence_status: 'Aufenthalt', german_level: 'Deutschniveau', age: 'Alter', crisis: 'Krise (Selbstgefährdung, Gewalt)',
  };
  var AUDIT_ACTIONS = {
    'login.success': 'Anmeldung', 'login.failure': 'Anmeldung fehlgeschlagen', 'login.locked': 'Anmeldung gesperrt',
    'login.unlock': 'Anmeldesperre aufgehoben', 'advisor.create': 'Konto angelegt',
    'advisor.update': 'Konto geändert', 'advisor.disable': 'Konto gesperrt', 'advisor.enable': 'Konto entsperrt',
    'escalation.claim': 'Übernommen', 'escalation.message': 'Nachricht gesendet', 'escalation.note': 'Notiz',
    'escalation.resolve': 'Erledigt', 'escalation.return': 'An den Bot zurück',
  };
  var LIST_TABS = {
    queue: { status: 'queued', title: 'Warteschlange', empty: 'Niemand wartet gerade.' },
    mine: { status: 'assigned', title: 'Meine Gespräche', empty: 'Sie haben gerade keine Gespräche.' },
    callbacks: { status: 'callback', title: 'Rückrufe', empty: 'Keine offenen Rückrufe.' },
  };

  var state = {
    token: null,
    me: null, // { id, email, name, role }
    tab: 'queue',
    items: [], // the list shown in the current list tab
    openId: null,
    detail: null, // { escalation, transcript }
    advisorNames: {}, // id → name, for notes and the audit log (admins only can list accounts)
    stream: null, // AbortController of the event stream
    reconnectTimer: null,
    reloadTimer: null,
    reloadDetail: false,
  };

  function $(id) { return document.getElementById(id); }

  /** createElement with text children only; attributes are set as properties or setAttribute, never parsed. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function label(map, key) { return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : String(key); }
  function languageName(code) { return code ? label(LANGUAGES, code) : 'unbekannt'; }

  var timeFormat = new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
  function formatTime(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? '' : timeFormat.format(d);
  }
  function waitingFor(iso) {
    var minutes = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
    if (minutes < 1) return 'gerade eben';
    if (minutes < 60) return minutes + ' Min.';
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + ' Std. ' + (minutes % 60) + ' Min.';
    return Math.floor(hours / 24) + ' Tage';
  }
  function ago(iso) {
    var text = waitingFor(iso);
    return text === 'gerade eben' ? text : 'vor ' + text;
  }
  function percent(value) { return typeof value === 'number' ? (value * 100).toFixed(1).replace('.', ',') + ' %' : '–'; }
  function seconds(value) {
    if (typeof value !== 'number') return '–';
    return value < 120 ? Math.round(value) + ' s' : Math.round(value / 60) + ' Min.';
  }
  function advisorName(id) {
    if (!id) return '–';
    if (state.me && id === state.me.id) return state.me.name + ' (ich)';
    return state.advisorNames[id] || 'Beratung ' + String(id).slice(0, 6);
  }

  // --- API ------------------------------------------------------------------------------------

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  var MESSAGES = {
    invalid_credentials: 'E-Mail oder Passwort ist falsch.',
    rate_limited: 'Zu viele Versuche. Bitte kurz warten.',
    forbidden: 'Dafür fehlt die Berechtigung.',
    not_found: 'Nicht gefunden.',
    not_ready: 'Der Dienst startet gerade. Bitte gleich noch einmal versuchen.',
    invalid_body: 'Die Eingabe ist ungültig.',
    internal: 'Interner Fehler. Bitte später noch einmal versuchen.',
  };
  function germanMessage(error) {
    if (error instanceof ApiError) return MESSAGES[error.code] || error.message || 'Fehler ' + error.status;
    return 'Keine Verbindung zum Server.';
  }

  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(API + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (response.ok) return data;
          var err = (data && data.error) || {};
          var error = new ApiError(response.status, err.code || 'http_' + response.status, err.message || '');
          // A 401 on login is a wrong password; anywhere else the token is gone or expired.
          if (response.status === 401 && path !== '/auth/login') logout('Sitzung abgelaufen – bitte neu anmelden.');
          throw error;
        });
      });
  }

  // --- login / logout -------------------------------------------------------------------------

  function showLogin(message) {
    $('main-view').hidden = true;
    $('who').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = message || '';
    $('login-password').value = '';
    $('login-email').focus();
  }

  function logout(message) {
    stopEvents();
    state.token = null;
    state.me = null;
    state.openId = null;
    state.detail = null;
    state.advisorNames = {};
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage disabled: nothing to remove */ }
    showLogin(message);
  }

  function startSession(token) {
    state.token = token;
    return api('GET', '/auth/me').then(function (data) {
      state.me = data.advisor;
      $('login-view').hidden = true;
      $('main-view').hidden = false;
      $('who').hidden = false;
      $('me-name').textContent = state.me.name + ' (' + label(ACCOUNT_ROLES, state.me.role) + ')';
      var admin = state.me.role === 'admin';
      Array.prototype.forEach.call(document.querySelectorAll('.admin-only'), function (node) { node.hidden = !admin; });
      if (admin) loadAdvisorNames();
      selectTab('queue', false);
      refreshCounts();
      startEvents();
      $('app-title').focus();
    });
  }

  /** A 401 has already logged out with its own message; anything else keeps the login form up with the reason. */
  function sessionFailed(error) {
    if (error instanceof ApiError && error.status === 401) return;
    state.token = null;
    showLogin(germanMessage(error));
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var email = $('login-email').value.trim();
    var password = $('login-password').value;
    if (!email || !password) {
      $('login-error').textContent = 'Bitte E-Mail und Passwort eingeben.';
      return;
    }
    $('login-submit').disabled = true;
    $('login-error').textContent = '';
    api('POST', '/auth/login', { email: email, password: password })
      .then(function (data) {
        try { sessionStorage.setItem(TOKEN_KEY, data.token); } catch (e) { /* works for this page only */ }
        return startSession(data.token).catch(sessionFailed);
      }, function (error) { $('login-error').textContent = germanMessage(error); })
      .then(function () { $('login-submit').disabled = false; });
  });

  $('logout').addEventListener('click', function () { logout('Abgemeldet.'); });

  // --- tabs -----------------------------------------------------------------------------------

  var tabButtons = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));

  function selectTab(tab, focus) {
    state.tab = tab;
    tabButtons.forEach(function (button) {
      var selected = button.getAttribute('data-tab') === tab;
      button.setAttribute('aria-selected', selected ? 'true' : 'false');
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    });
    var isList = Object.prototype.hasOwnProperty.call(LIST_TABS, tab);
    $('panel-list').hidden = !isList;
    $('panel-analytics').hidden = tab !== 'analytics';
    $('panel-team').hidden = tab !== 'team';
    $('panel-audit').hidden = tab !== 'audit';
    $('notice').textContent = '';
    if (isList) {
      $('panel-list').setAttribute('aria-labelledby', 'tab-' + tab);
      $('list-title').textContent = LIST_TABS[tab].title;
      state.items = [];
      renderList();
      loadList();
    } else if (tab === 'analytics') {
      initAnalytics();
    } else if (tab === 'team') {
      loadTeam();
    } else if (tab === 'audit') {
      loadAudit();
    }
  }

  tabButtons.forEach(function (button) {
    button.addEventListener('click', function () { selectTab(button.getAttribute('data-tab'), false); });
    button.addEventListener('keydown', function (event) {
      var visible = tabButtons.filter(function (b) { return !b.hidden; });
      var index = visible.indexOf(button);
      var next = null;
      if (event.key === 'ArrowRight') next = visible[(index + 1) % visible.length];
      else if (event.key === 'ArrowLeft') next = visible[(index - 1 + visible.length) % visible.length];
      else if (event.key === 'Home') next = visible[0];
      else if (event.key === 'End') next = visible[visible.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next.getAttribute('data-tab'), true);
      }
    });
  });

  // --- escalation lists -----------------------------------------------------------------------

  function fetchTab(tab) {
    return api('GET', '/escalations?status=' + LIST_TABS[tab].status).then(function (data) {
      var items = data.escalations || [];
      if (tab === 'mine') items = items.filter(function (e) { return state.me && e.advisorId === state.me.id; });
      return items;
    });
  }

  function loadList() {
    var tab = state.tab;
    if (!LIST_TABS[tab]) return Promise.resolve();
    return fetchTab(tab)
      .then(function (items) {
        if (tab !== state.tab) return;
        setCount(tab, items.length);
        if (tab !== 'callbacks') return items;
        // The callback list shows whom to call; the contact is only in each escalation's detail.
        return Promise.all(items.map(function (item) {
          return api('GET', '/escalations/' + encodeURIComponent(item.id))
            .then(function (data) { item.callbackContact = data.escalation.callbackContact; return item; })
            .catch(function () { return item; });
        }));
      })
      .then(function (items) {
        if (!items || tab !== state.tab) return;
        state.items = items;
        renderList();
      })
      .catch(function (error) { if (!(error instanceof ApiError && error.status === 401)) $('notice').textContent = germanMessage(error); });
  }

  function refreshCounts() {
    Object.keys(LIST_TABS).forEach(function (tab) {
      if (tab === state.tab) return;
      fetchTab(tab).then(function (items) { setCount(tab, items.length); }).catch(function () { /* the counts are a hint only */ });
    });
  }

  function setCount(tab, n) {
    $('count-' + tab).textContent = n ? '(' + n + ')' : '';
  }

  function contactText(contact) {
    if (!contact) return '';
    return (contact.kind === 'phone' ? 'Telefon: ' : 'E-Mail: ') + contact.value;
  }

  function renderList() {
    var list = $('list');
    var tab = state.tab;
    var nodes = state.items.map(function (item) {
      var meta = el('span', { className: 'meta' },
        el('span', { className: 'language', text: languageName(item.language) }),
        ' · ',
        el('span', { className: 'reason', text: label(REASONS, item.reason) }));
      var since = tab === 'mine' && item.claimedAt ? 'übernommen ' + ago(item.claimedAt) : 'wartet seit ' + waitingFor(item.createdAt).replace('gerade eben', 'eben');
      var button = el('button', {
        type: 'button',
        className: 'case' + (item.id === state.openId ? ' open' : ''),
        'aria-current': item.id === state.openId ? 'true' : null,
        'data-id': item.id,
      },
      item.priority === 'urgent' ? el('span', { className: 'badge urgent', text: 'Dringend' }) : null,
      meta,
      el('span', { className: 'waiting' }, el('time', { datetime: tab === 'mine' && item.claimedAt ? item.claimedAt : item.createdAt, text: since })),
      item.callbackContact ? el('span', { className: 'contact-line', dir: 'auto', text: contactText(item.callbackContact) }) : null);
      button.addEventListener('click', function () { openDetail(item.id, true); });
      return el('li', { 'data-id': item.id }, button);
    });
    list.replaceChildren.apply(list, nodes);
    $('list-empty').hidden = state.items.length > 0;
    $('list-empty').textContent = LIST_TABS[tab] ? LIST_TABS[tab].empty : '';
  }

  // Waiting times move on without any event.
  setInterval(function () { if (state.token && LIST_TABS[state.tab]) renderList(); }, 30000);

  // --- detail ---------------------------------------------------------------------------------

  function openDetail(id, focus) {
    state.openId = id;
    Array.prototype.forEach.call($('list').querySelectorAll('button.case'), function (b) {
      var open = b.getAttribute('data-id') === id;
      b.classList.toggle('open', open);
      if (open) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    });
    return loadDetail(focus);
  }

  function loadDetail(focus) {
    var id = state.openId;
    if (!id) return Promise.resolve();
    return api('GET', '/escalations/' + encodeURIComponent(id))
      .then(function (data) {
        if (id !== state.openId) return;
        state.detail = data;
        renderDetail();
        if (focus) $('detail-title').focus();
      })
      .catch(function (error) {
        if (error instanceof ApiError && error.status === 404) {
          // Erased with its conversation (the person deleted their chat).
          closeDetail();
          $('notice').textContent = 'Diese Anfrage gibt es nicht mehr.';
        } else if (!(error instanceof ApiError && error.status === 401)) {
          $('detail-error').textContent = germanMessage(error);
        }
      });
  }

  function closeDetail() {
    state.openId = null;
    state.detail = null;
    $('detail').hidden = true;
  }

  function contextRow(term, value) {
    return [el('dt', { text: term }), el('dd', null, value)];
  }

  function renderDetail() {
    var e = state.detail.escalation;
    var mine = state.me && e.advisorId === state.me.id;
    var admin = state.me && state.me.role === 'admin';
    $('detail').hidden = false;
    $('detail-error').textContent = '';
    $('detail-title').textContent = (e.priority === 'urgent' ? 'Dringende Anfrage' : 'Anfrage') + ' · ' + label(STATUSES, e.status);

    var intents = e.intents && e.intents.length ? e.intents.join(', ') : '–';
    var entities = e.entities && e.entities.length
      ? el('ul', { className: 'entities' }, ...e.entities.map(function (x) {
        return el('li', null, label(ENTITY_TYPES, x.type) + ': ', el('bdi', { text: x.value }));
      }))
      : '–';
    var rows = []
      .concat(contextRow('Sprache', languageName(e.language)))
      .concat(contextRow('Grund', label(REASONS, e.reason)))
      .concat(contextRow('Priorität', e.priority === 'urgent' ? 'Dringend' : 'Normal'))
      .concat(contextRow('Themen', intents))
      .concat(contextRow('Angaben', entities))
      .concat(contextRow('Eingegangen', formatTime(e.createdAt) + ' (' + ago(e.createdAt) + ')'))
      .concat(e.advisorId ? contextRow('Bearbeitet von', advisorName(e.advisorId)) : []);
    var context = $('detail-context');
    context.replaceChildren.apply(context, rows);

    $('detail-contact').hidden = !e.callbackContact;
    $('detail-contact-value').textContent = e.callbackContact ? contactText(e.callbackContact) : '';
    $('detail-contact-value').setAttribute('dir', 'auto');

    var transcript = $('transcript');
    transcript.replaceChildren.apply(transcript, state.detail.transcript.map(function (line) {
      return el('li', { className: 'line role-' + line.role },
        el('span', { className: 'who', text: label(ROLES, line.role) }),
        el('time', { datetime: line.createdAt, text: formatTime(line.createdAt) }),
        el('p', { className: 'text', dir: 'auto', text: line.text }));
    }));
    if (!state.detail.transcript.length) transcript.appendChild(el('li', { className: 'empty', text: 'Noch keine Nachrichten.' }));
    transcript.scrollTop = transcript.scrollHeight;

    var notes = $('notes');
    notes.replaceChildren.apply(notes, (e.notes || []).map(function (note) {
      return el('li', null,
        el('span', { className: 'who', text: advisorName(note.advisorId) }),
        el('time', { datetime: note.at, text: formatTime(note.at) }),
        el('p', { className: 'text', dir: 'auto', text: note.text }));
    }));

    // The same permissions as the server (EscalationService); the server decides anyway.
    $('action-claim').hidden = e.status !== 'queued';
    $('action-resolve').hidden = !(e.status === 'callback' || (e.status === 'assigned' && (mine || admin)));
    $('action-return').hidden = !((e.status === 'assigned' && (mine || admin)) || ((e.status === 'queued' || e.status === 'callback') && admin));
    $('reply-form').hidden = !(e.status === 'assigned' && mine);
  }

  function act(action, button) {
    var id = state.openId;
    if (!id) return;
    button.disabled = true;
    $('detail-error').textContent = '';
    api('POST', '/escalations/' + encodeURIComponent(id) + '/' + action)
      .then(function () {
        var done = { claim: 'Übernommen.', resolve: 'Als erledigt markiert.', 'return-to-bot': 'An den Bot zurückgegeben.' };
        $('notice').textContent = done[action];
        if (action === 'claim') {
          // The conversation now lives in "Meine Gespräche"; keep it open there.
          selectTab('mine', false);
          openDetail(id, false);
        } else {
          loadList();
          loadDetail(false);
        }
        refreshCounts();
      })
      .catch(function (error) {
        if (error instanceof ApiError && error.status === 409) {
          $('detail-error').textContent = action === 'claim' ? 'Bereits übernommen – jemand anderes war schneller.' : 'Der Status hat sich inzwischen geändert.';
          loadList();
          loadDetail(false);
        } else if (!(error instanceof ApiError && error.status === 401)) {
          $('detail-error').textContent = germanMessage(error);
        }
      })
      .then(function () { button.disabled = false; });
  }

  $('action-claim').addEventListener('click', function () { act('claim', this); });
  $('action-resolve').addEventListener('click', function () { act('resolve', this); });
  $('action-return').addEventListener('click', function () { act('return-to-bot', this); });

  function submitText(form, textarea, path, success) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = textarea.value.trim();
      var id = state.openId;
      if (!text || !id) return;
      var button = form.querySelector('button');
      button.disabled = true;
      api('POST', '/escalations/' + encodeURIComponent(id) + path, { text: text })
        .then(function () {
          textarea.value = '';
          $('notice').textContent = success;
          return loadDetail(false);
        })
        .catch(function (error) {
          if (error instanceof ApiError && error.status === 409) $('detail-error').textContent = 'Das Gespräch ist nicht mehr bei Ihnen.';
          else if (!(error instanceof ApiError && error.status === 401)) $('detail-error').textContent = germanMessage(error);
        })
        .then(function () { button.disabled = false; });
    });
  }
  submitText($('reply-form'), $('reply-text'), '/messages', 'Antwort gesendet.');
  submitText($('note-form'), $('note-text'), '/notes', 'Notiz gespeichert.');

  // --- live updates (server-sent events over fetch, so the token stays in a header) ------------

  function startEvents() {
    stopEvents();
    connectEvents(0);
  }

  function stopEvents() {
    if (state.stream) state.stream.abort();
    state.stream = null;
    clearTimeout(state.reconnectTimer);
    clearTimeout(state.reloadTimer);
    state.reloadTimer = null;
    $('online').textContent = '';
  }

  function connectEvents(attempt) {
    if (!state.token) return;
    var controller = new AbortController();
    state.stream = controller;
    var gotReady = false;
    fetch(API + '/advisor/events', {
      headers: { authorization: 'Bearer ' + state.token, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: controller.signal,
    })
      .then(function (response) {
        if (response.status === 401) {
          logout('Sitzung abgelaufen – bitte neu anmelden.');
          return;
        }
        if (!response.ok || !response.body) throw new Error('event stream ' + response.status);
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            buffer += decoder.decode(chunk.value, { stream: true });
            var blocks = buffer.split(/\r?\n\r?\n/);
            buffer = blocks.pop();
            blocks.forEach(function (block) {
              var parsed = parseEvent(block);
              if (!parsed) return;
              if (parsed.type === 'ready') gotReady = true;
              handleEvent(parsed.type, parsed.data);
            });
            return pump();
          });
        }
        return pump();
      })
      .catch(function () { /* network error or abort: handled below */ })
      .then(function () {
        if (controller.signal.aborted || state.stream !== controller || !state.token) return;
        // The stream ended: the server restarted or a proxy cut it. Back off, then reload what may have changed.
        var next = gotReady ? 0 : attempt + 1;
        var delay = Math.min(30000, 1000 * Math.pow(2, next));
        $('online').textContent = 'Verbindung unterbrochen …';
        state.reconnectTimer = setTimeout(function () { connectEvents(next); }, delay);
      });
  }

  function parseEvent(block) {
    var type = 'message';
    var data = [];
    block.split(/\r?\n/).forEach(function (line) {
      if (!line || line.charAt(0) === ':') return;
      var colon = line.indexOf(':');
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    });
    if (!data.length) return null;
    try { return { type: type, data: JSON.parse(data.join('\n')) }; } catch (e) { return null; }
  }

  function handleEvent(type, data) {
    if (type === 'ready') {
      $('online').textContent = typeof data.online === 'number' ? data.online + ' online' : '';
      // Anything may have happened while the stream was down.
      scheduleReload(true);
      return;
    }
    if (type === 'escalation.created' && data.priority === 'urgent') $('notice').textContent = 'Neue dringende Anfrage.';
    scheduleReload(data.escalationId === state.openId);
  }

  /** Bursts of events (claim + message + note) become one reload. */
  function scheduleReload(detailToo) {
    state.reloadDetail = state.reloadDetail || detailToo;
    if (state.reloadTimer) return;
    state.reloadTimer = setTimeout(function () {
      var detail = state.reloadDetail;
      state.reloadTimer = null;
      state.reloadDetail = false;
      if (!state.token) return;
      loadList();
      refreshCounts();
      if (detail && state.openId) loadDetail(false);
    }, 100);
  }

  // --- admin: analytics -----------------------------------------------------------------------

  function isoDay(date) { return date.toISOString().slice(0, 10); }

  function initAnalytics() {
    if (!$('analytics-to').value) {
      var now = new Date();
      $('analytics-to').value = isoDay(now);
      $('analytics-from').value = isoDay(new Date(now.getTime() - 29 * 86400000));
    }
    loadAnalytics();
  }

  function analyticsRow(name, stats) {
    stats = stats || {};
    function cell(v) { return el('td', { text: v === undefined || v === null ? '–' : String(v) }); }
    return el('tr', null,
      el('th', { scope: 'row', text: name }),
      cell(stats.conversations), cell(stats.userMessages), cell(stats.fallbacks),
      el('td', { text: percent(stats.fallbackRate) }), cell(stats.escalations),
      el('td', { text: percent(stats.escalationRate) }), el('td', { text: seconds(stats.medianTimeToClaimSeconds) }));
  }

  function loadAnalytics() {
    var from = $('analytics-from').value;
    var to = $('analytics-to').value;
    $('analytics-message').textContent = 'Lädt …';
    api('GET', '/analytics?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to))
      .then(function (data) {
        $('analytics-message').textContent = '';
        $('analytics-result').hidden = false;
        var rows = [analyticsRow('Gesamt', data.overall)];
        Object.keys(data.perLanguage || {}).forEach(function (code) { rows.push(analyticsRow(languageName(code), data.perLanguage[code])); });
        var body = $('analytics-languages');
        body.replaceChildren.apply(body, rows);
        var top = $('analytics-unanswered');
        var items = data.topUnanswered || [];
        top.replaceChildren.apply(top, items.length ? items.map(function (q) {
          return el('tr', null, el('td', { dir: 'auto', text: q.text }), el('td', { text: String(q.count) }), el('td', { text: languageName(q.language) }));
        }) : [el('tr', null, el('td', { colspan: '3', text: 'Keine unbeantworteten Fragen im Zeitraum.' }))]);
      })
      .catch(function (error) {
        $('analytics-result').hidden = true;
        if (error instanceof ApiError && error.status === 404) $('analytics-message').textContent = 'Die Auswertung ist noch nicht verfügbar.';
        else if (!(error instanceof ApiError && error.status === 401)) $('analytics-message').textContent = germanMessage(error);
      });
  }

  $('analytics-form').addEventListener('submit', function (event) {
    event.preventDefault();
    loadAnalytics();
  });

  // --- admin: team ----------------------------------------------------------------------------

  function loadAdvisorNames() {
    return api('GET', '/advisors').then(function (data) {
      state.advisorNames = {};
      (data.advisors || []).forEach(function (a) { state.advisorNames[a.id] = a.name; });
      return data.advisors || [];
    });
  }

  function loadTeam() {
    loadAdvisorNames()
      .then(function (advisors) {
        var body = $('team-list');
        body.replaceChildren.apply(body, advisors.map(function (a) {
          var toggle = el('button', { type: 'button', text: a.disabled ? 'Entsperren' : 'Sperren' });
          toggle.setAttribute('aria-label', (a.disabled ? 'Entsperren: ' : 'Sperren: ') + a.name);
          toggle.addEventListener('click', function () { setDisabled(a, !a.disabled, toggle); });
          return el('tr', { className: a.disabled ? 'disabled' : null },
            el('td', { dir: 'auto', text: a.name }),
            el('td', { text: a.email }),
            el('td', { text: label(ACCOUNT_ROLES, a.role) }),
            el('td', { text: a.disabled ? 'gesperrt' : 'aktiv' }),
            el('td', null, state.me && a.id === state.me.id ? '' : toggle));
        }));
      })
      .catch(function (error) { if (!(error instanceof ApiError && error.status === 401)) $('team-message').textContent = germanMessage(error); });
  }

  function setDisabled(advisor, disabled, button) {
    button.disabled = true;
    api('PATCH', '/advisors/' + encodeURIComponent(advisor.id), { disabled: disabled })
      .then(function () {
        $('team-message').textContent = (disabled ? 'Gesperrt: ' : 'Entsperrt: ') + advisor.name;
        loadTeam();
      })
      .catch(function (error) {
        button.disabled = false;
        if (error instanceof ApiError && error.status === 409) $('team-message').textContent = 'Mindestens ein aktives Admin-Konto muss bleiben.';
        else if (!(error instanceof ApiError && error.status === 401)) $('team-message').textContent = germanMessage(error);
      });
  }

  $('team-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = {
      name: $('team-name').value.trim(),
      email: $('team-email').value.trim(),
      role: $('team-role').value,
      password: $('team-password').value,
    };
    if (!input.name || !input.email) {
      $('team-message').textContent = 'Bitte Name und E-Mail angeben.';
      return;
    }
    if (input.password.length < 12) {
      $('team-message').textContent = 'Das Passwort braucht mindestens 12 Zeichen.';
      return;
    }
    api('POST', '/advisors', input)
      .then(function (data) {
        $('team-form').reset();
        $('team-message').textContent = 'Angelegt: ' + data.advisor.name;
        loadTeam();
      })
      .catch(function (error) {
        if (error instanceof ApiError && error.status === 409) $('team-message').textContent = 'Zu dieser E-Mail gibt es schon ein Konto.';
        else if (!(error instanceof ApiError && error.status === 401)) $('team-message').textContent = germanMessage(error);
      });
  });

  // --- admin: audit log -----------------------------------------------------------------------

  function loadAudit() {
    $('audit-message').textContent = 'Lädt …';
    loadAdvisorNames()
      .catch(function () { /* names are a convenience; ids still show */ })
      .then(function () { return api('GET', '/audit?limit=50'); })
      .then(function (data) {
        var entries = data.entries || [];
        $('audit-message').textContent = entries.length ? '' : 'Keine Einträge.';
        var body = $('audit-list');
        body.replaceChildren.apply(body, entries.map(function (entry) {
          var actor = { system: 'System', cli: 'Kommandozeile', anonymous: 'unbekannt' }[entry.actorId] || advisorName(entry.actorId);
          return el('tr', null,
            el('td', null, el('time', { datetime: entry.at, text: formatTime(entry.at) })),
            el('td', { dir: 'auto', text: actor }),
            el('td', { text: label(AUDIT_ACTIONS, entry.action) }),
            el('td', { dir: 'auto', text: entry.target ? state.advisorNames[entry.target] || entry.target : '–' }));
        }));
      })
      .catch(function (error) { if (!(error instanceof ApiError && error.status === 401)) $('audit-message').textContent = germanMessage(error); });
  }

  $('audit-refresh').addEventListener('click', loadAudit);

  // --- start ----------------------------------------------------------------------------------

  var saved = null;
  try { saved = sessionStorage.getItem(TOKEN_KEY); } catch (e) { saved = null; }
  if (saved) {
    startSession(saved).catch(sessionFailed);
  } else {
    showLogin('');
  }
})();
