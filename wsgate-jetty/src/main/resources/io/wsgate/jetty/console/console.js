// The wsgate test console: plain JavaScript, no framework, no build step.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const MAX_LOG = 500;      // entries kept in the output
  const MAX_SHOWN = 2000;   // characters of a text message shown
  const MAX_HEX = 512;      // bytes of a binary message shown
  let apis = [];
  let gatewayUrl = '';
  let ws = null;

  const api = () => apis.find((a) => a.name === $('api').value);

  // ---- where a request goes: URL, query, subprotocols, with the token where the API takes it
  function target(maskToken) {
    const a = api();
    let path = $('path').value.trim();
    if (path && !path.startsWith('/')) path = '/' + path;
    const pathInMount = (a ? a.urlSuffix : '') + path;
    const params = [];
    for (const row of $('query-rows').querySelectorAll('.query-row')) {
      const [name, value] = row.querySelectorAll('input');
      if (name.value) params.push(encodeURIComponent(name.value) + '=' + encodeURIComponent(value.value));
    }
    const protocols = $('subprotocols').value.split(',').map((p) => p.trim()).filter((p) => p);
    const token = $('token').value.trim();
    const place = $('token-place').value;
    if (token && place.startsWith('query:')) {
      params.push(encodeURIComponent(place.slice(6)) + '=' + (maskToken ? '…' : encodeURIComponent(token)));
    } else if (token && place.startsWith('subprotocol:')) {
      const [, prefix, marker] = place.split(':');
      const carried = [prefix + token];
      if (marker) carried.unshift(marker); // the gateway answers with the marker: the browser needs an answer
      protocols.unshift(...carried);
    }
    const query = params.join('&');
    const url = gatewayUrl + pathInMount + (query ? '?' + query : '');
    return { url, pathInMount, query, protocols, secure: gatewayUrl.startsWith('wss:') };
  }

  function showUrl() {
    $('url').value = target(true).url;
  }

  // ---- the output log
  function hex(bytes) {
    const shown = Array.from(bytes.subarray(0, MAX_HEX), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return bytes.length > MAX_HEX ? shown + ' …' : shown;
  }

  function log(dir, type, size, content) {
    const li = document.createElement('li');
    li.dataset.dir = dir;
    li.dataset.type = type;
    const cells = [
      ['time', new Date().toISOString().slice(11, 23)],
      ['arrow', dir === 'out' ? '→' : dir === 'in' ? '←' : '•'],
      ['type', type],
      ['size', size === null ? '' : size + ' B'],
    ];
    for (const [cls, text] of cells) {
      const span = document.createElement(cls === 'time' ? 'time' : 'span');
      span.className = cls;
      span.textContent = text;
      li.append(span);
    }
    const code = document.createElement('code');
    code.textContent = content.length > MAX_SHOWN ? content.slice(0, MAX_SHOWN) + ' …' : content;
    li.append(code);
    const list = $('log');
    list.append(li);
    while (list.children.length > MAX_LOG) list.firstElementChild.remove();
    li.scrollIntoView({ block: 'nearest' });
  }

  const utf8 = new TextEncoder();

  function logMessage(dir, data) {
    if (typeof data === 'string') {
      log(dir, 'text', utf8.encode(data).length, data);
    } else {
      const bytes = new Uint8Array(data);
      log(dir, 'binary', bytes.length, hex(bytes));
    }
  }

  // ---- connection state
  function setStatus(state, text) {
    $('status').dataset.state = state;
    $('status').textContent = text;
    const open = state === 'open';
    $('send').disabled = !open;
    $('disconnect').disabled = !(open || state === 'connecting');
    $('connect').disabled = open || state === 'connecting';
  }

  function connect() {
    const t = target(false);
    let socket;
    try {
      socket = new WebSocket(t.url, t.protocols);
    } catch (e) {
      setStatus('closed', 'Cannot connect: ' + e.message);
      return;
    }
    ws = socket;
    socket.binaryType = 'arraybuffer';
    setStatus('connecting', 'Connecting to ' + target(true).url + ' …');
    socket.onopen = () => {
      setStatus('open', 'Open' + (socket.protocol ? ', subprotocol ' + socket.protocol : ', no subprotocol') + '.');
      log('event', 'open', null, socket.protocol ? 'subprotocol ' + socket.protocol : 'no subprotocol');
    };
    socket.onmessage = (e) => logMessage('in', e.data);
    socket.onerror = () => log('event', 'error', null, 'the browser gives no reason; Diagnose asks the gateway');
    socket.onclose = (e) => {
      const how = 'code ' + e.code + (e.reason ? ', reason "' + e.reason + '"' : ', no reason') +
        (e.wasClean ? ', clean' : ', not clean');
      setStatus('closed', 'Closed: ' + how + '.' + (e.code === 1006 ? ' Diagnose to see why.' : ''));
      $('status').dataset.code = String(e.code);
      log('event', 'close', null, how);
      if (ws === socket) ws = null;
    };
  }

  function disconnect() {
    if (!ws) return;
    const code = Number($('close-code').value || 1000);
    try {
      ws.close(code, $('close-reason').value);
    } catch (e) {
      sendError('Cannot close with code ' + code + ': use 1000 or 3000 to 4999 (' + e.name + ').');
    }
  }

  function sendError(text) {
    $('send-error').hidden = !text;
    $('send-error').textContent = text || '';
  }

  function payload() {
    const raw = $('payload').value;
    const format = $('payload-format').value;
    if (format === 'text') return raw;
    let bytes;
    if (format === 'hex') {
      const digits = raw.replace(/\s+/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error('hex needs pairs of 0-9 a-f digits');
      bytes = new Uint8Array(digits.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.substr(i * 2, 2), 16);
    } else {
      let text;
      try {
        text = atob(raw.replace(/\s+/g, ''));
      } catch (e) {
        throw new Error('not base64');
      }
      bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    }
    return bytes.buffer;
  }

  function send() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    let data;
    try {
      data = payload();
    } catch (e) {
      sendError('Cannot send: ' + e.message + '.');
      return;
    }
    sendError('');
    ws.send(data);
    logMessage('out', data);
  }

  // ---- Diagnose: the gateway runs the API's checks and policies on the same request, without a backend
  async function diagnose() {
    const t = target(false);
    const form = new URLSearchParams();
    form.append('path', t.pathInMount);
    form.append('query', t.query);
    for (const p of t.protocols) form.append('subprotocol', p);
    form.append('secure', String(t.secure));
    const box = $('diagnosis');
    box.hidden = false;
    box.removeAttribute('data-admitted');
    box.textContent = 'Diagnosing …';
    try {
      const r = await fetch('diagnose', { method: 'POST', body: form, headers: { 'X-WsGate-Console': '1' } });
      const d = await r.json();
      if (!r.ok) {
        box.textContent = 'The console refused the request: ' + d.message;
        return;
      }
      box.dataset.admitted = String(d.admitted);
      box.dataset.stage = d.stage;
      box.dataset.code = d.code;
      box.textContent = '';
      const head = document.createElement('p');
      head.textContent = d.admitted
        ? 'Admitted: the gateway would now connect the backend' +
          (d.subprotocol ? ' and answer subprotocol ' + d.subprotocol + ' if the backend chooses none.' : '.')
        : 'Refused at ' + d.stage.toLowerCase() + (d.policy ? ' by policy ' + d.policy : '') + ': ' + d.status + ' ' +
          d.code + ' (' + d.message + ')';
      box.append(head);
      for (const note of d.notes) {
        const p = document.createElement('p');
        p.className = 'hint';
        p.textContent = 'Note: ' + note;
        box.append(p);
      }
      const id = document.createElement('p');
      id.className = 'hint';
      id.textContent = 'Request id ' + d.requestId;
      box.append(id);
    } catch (e) {
      box.textContent = 'Diagnose failed: ' + e.message;
    }
  }

  // ---- the form
  function addQueryRow(name, value) {
    const row = document.createElement('div');
    row.className = 'query-row';
    const n = $('query-rows').children.length + 1;
    for (const [what, v] of [['name', name], ['value', value]]) {
      const input = document.createElement('input');
      input.type = 'text';
      input.value = v || '';
      input.setAttribute('aria-label', 'Parameter ' + n + ' ' + what);
      input.className = 'query-' + what;
      input.autocomplete = 'off';
      input.addEventListener('input', showUrl);
      row.append(input);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', 'Remove parameter ' + n);
    remove.addEventListener('click', () => { row.remove(); showUrl(); });
    row.append(remove);
    $('query-rows').append(row);
    showUrl();
    return row;
  }

  function chooseApi() {
    const a = api();
    const places = $('token-place');
    places.textContent = '';
    const none = new Option('not sent', 'none');
    places.append(none);
    if (!a) return;
    $('api-info').textContent = a.displayName + ' — URL suffix ' + (a.urlSuffix || '(root)') + ', schemes ' +
      a.schemes.join(', ');
    for (const t of a.token) {
      const o = t.in === 'query'
        ? new Option('query parameter ' + t.name, 'query:' + t.name)
        : new Option('subprotocol ' + t.prefix + '<token>' + (t.marker ? ' beside ' + t.marker : ''),
          'subprotocol:' + t.prefix + ':' + t.marker);
      places.append(o);
    }
    places.selectedIndex = a.token.length ? 1 : 0;
    showUrl();
  }

  async function load() {
    const r = await fetch('apis');
    const body = await r.json();
    apis = body.apis;
    gatewayUrl = body.gatewayUrl || ((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host);
    const select = $('api');
    for (const a of apis) select.append(new Option(a.displayName + ' (' + (a.urlSuffix || '/') + ')', a.name));
    chooseApi();
    document.body.dataset.ready = 'true';
  }

  $('api').addEventListener('change', chooseApi);
  for (const id of ['path', 'subprotocols', 'token']) $(id).addEventListener('input', showUrl);
  $('token-place').addEventListener('change', showUrl);
  $('add-query').addEventListener('click', () => addQueryRow('', '').querySelector('input').focus());
  $('connect').addEventListener('click', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('send').addEventListener('click', send);
  $('payload').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
  });
  $('diagnose').addEventListener('click', diagnose);
  $('clear').addEventListener('click', () => { $('log').textContent = ''; });
  load().catch((e) => setStatus('closed', 'Cannot list the APIs: ' + e.message));
})();
