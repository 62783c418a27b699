/* BETaaS tab of the web console. Everything comes from the REST API (same origin, same credentials). */
(function () {
  'use strict';
  var root = document.getElementById('betaas');
  var API = root.getAttribute('data-api');
  var charts = {};

  function $(id) { return document.getElementById(id); }
  function text(el, value) { el.textContent = value == null ? '' : String(value); return el; }
  function cell(row, value) { var td = document.createElement('td'); text(td, value); row.appendChild(td); return td; }
  function gib(bytes) { return bytes == null ? '' : (bytes / 1073741824).toFixed(2) + ' GiB'; }
  /** The line at the top: what just happened (done) or what went wrong (the default). */
  function status(message, done) {
    var line = text($('betaas-status'), message);
    line.className = 'betaas-status' + (done ? ' betaas-done' : '');
  }

  /** Calls the API; resolves with the JSON body, rejects with {status, code, message}. */
  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body); // a string goes as typed
    }
    // absolute, from the origin: a page opened as http://user:pass@host/... must not pass its credentials on
    return fetch(window.location.origin + API + path, init).then(function (response) {
      return response.text().then(function (raw) {
        var json = null;
        try { json = raw ? JSON.parse(raw) : null; } catch (e) { json = null; }
        if (!response.ok) {
          throw { status: response.status, code: json && json.code, message: (json && json.message) || response.statusText };
        }
        return json;
      });
    });
  }

  /** Says in a table why it has no rows: a service not installed (503), an endpoint this gateway lacks, or none. */
  function unavailable(tbody, columns, error) {
    tbody.innerHTML = '';
    tbody.removeAttribute('data-shown');
    var row = document.createElement('tr');
    var td = cell(row, error.status === 503 ? 'Not available: ' + error.message
      : error.status === 404 && error.missing ? 'Not available: this gateway\'s REST API has no ' + error.missing + ' endpoint'
      : error.status >= 400 ? 'Error ' + error.status + ': ' + error.message : error.message);
    td.colSpan = columns;
    td.className = 'betaas-unavailable';
    tbody.appendChild(row);
  }

  /** GET of a collection endpoint: a 404 there means the endpoint itself is missing (an older gateway). */
  function collection(path) {
    return api('GET', path).catch(function (e) {
      if (e.status === 404) { e.missing = path; }
      throw e;
    });
  }

  /** The array of a list answer, whether bare or wrapped ({key: [...]}). */
  function listOf(body, key) {
    if (Array.isArray(body)) { return body; }
    return body && Array.isArray(body[key]) ? body[key] : [];
  }

  /** Rebuilds a table body only when its data changed, so rows (and their buttons) stay put between refreshes. */
  function changed(tbody, data) {
    var signature = JSON.stringify(data);
    if (tbody.getAttribute('data-shown') === signature) { return false; }
    tbody.setAttribute('data-shown', signature);
    tbody.innerHTML = '';
    return true;
  }

  function percent(fraction) { return fraction == null ? '?' : (fraction * 100).toFixed(1) + ' %'; }
  function when(t) {
    if (t == null || t === 0) { return 'never'; }
    var d = new Date(typeof t === 'number' ? t : Date.parse(t));
    return isNaN(d.getTime()) ? String(t) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  // --- overview -------------------------------------------------------------------------------------------
  function loadGateway() {
    return api('GET', '/gateway').then(function (gw) {
      text($('betaas-gateway-id'), gw.identity.gatewayId);
      text($('betaas-instance-id'), gw.identity.instanceId);
      text($('betaas-version'), gw.identity.version);
      var r = gw.resources;
      if (r) {
        text($('betaas-cpu'), r.cpuCores + ' cores, load ' + (r.cpuLoad == null ? '?' : (r.cpuLoad * 100).toFixed(1) + ' %'));
        text($('betaas-memory'), gib(r.memoryUsed) + ' used of ' + gib(r.memoryTotal));
        text($('betaas-storage'), gib(r.storageUsed) + ' used of ' + gib(r.storageTotal));
        text($('betaas-battery'), r.batteryPercent == null ? 'none' : r.batteryPercent.toFixed(0) + ' %');
      } else {
        text($('betaas-cpu'), 'resource monitor not available');
      }
      text($('betaas-drivers'), gw.drivers.length ? gw.drivers.map(function (d) {
        return d.name + ' ' + d.endpoint + ': ' + (d.reachable ? 'reachable, ' : 'UNREACHABLE, ') + d.detail;
      }).join(' · ') : 'none installed');
      var problems = $('betaas-problems');
      problems.innerHTML = '';
      gw.configurationProblems.forEach(function (p) { var li = document.createElement('li'); text(li, p); problems.appendChild(li); });
    }, function (e) { text($('betaas-gateway-id'), '(' + e.message + ')'); status(e.message); });
  }

  // --- instance: the gateways of the instance with their resources, trust and online state ----------------
  function loadInstance() {
    api('GET', '/instance').then(function (info) {
      text($('instance-id'), info.instanceId);
      var state = info.state || info.membership || '';
      var s = $('instance-state');
      text(s, state ? '(' + String(state).toLowerCase().replace(/_/g, ' ') + ')' : '');
      s.className = 'betaas-membership betaas-membership-' + String(state).toLowerCase();
      text($('instance-detail'), info.detail);
    }, function (e) {
      text($('instance-detail'), e.status === 404 ? 'Instance membership not available from this gateway\'s REST API.'
        : (e.status === 503 ? 'Not available: ' : '') + e.message);
    });
    var tbody = $('gateways-body');
    return collection('/gateways').then(function (body) {
      var gateways = listOf(body, 'gateways');
      if (!changed(tbody, gateways)) { return; }
      if (!gateways.length) { unavailable(tbody, 10, { status: 200, message: 'No gateway known.' }); return; }
      gateways.forEach(function (g) {
        var st = g.status || {};
        var r = g.resources || st.resources;
        var vms = g.vms || st.vms;
        var id = g.gatewayId || g.id;
        var row = document.createElement('tr');
        row.id = 'gateway-' + id;
        var name = cell(row, id + (g.self ? ' (this gateway)' : ''));
        name.className = 'gw-id';
        // this gateway counts as online in its instance once joined; alone, it is simply not joined
        var state = g.dismissed ? 'dismissed' : g.online ? 'online' : g.self ? 'not joined' : 'offline';
        var online = cell(row, state);
        online.className = 'gw-online betaas-' + state.replace(' ', '-');
        var trust = cell(row, g.trust == null ? '?' : Number(g.trust).toFixed(2));
        trust.className = 'gw-trust';
        trust.title = 'trust in this gateway, 0..1';
        if (r) {
          cell(row, r.cpuCores + ' cores, ' + percent(r.cpuLoad));
          cell(row, gib(r.memoryUsed) + ' / ' + gib(r.memoryTotal));
          cell(row, gib(r.storageUsed) + ' / ' + gib(r.storageTotal));
        } else {
          var none = cell(row, 'no status yet');
          none.colSpan = 3;
          none.className = 'betaas-unavailable';
        }
        var free = g.headroom && g.headroom.available;
        var headroom = cell(row, free ? free.vcpus.toFixed(1) + ' vCPU, ' + Math.round(free.memoryMiB) + ' MiB, '
          + (free.storageMiB / 1024).toFixed(1) + ' GiB' : '');
        headroom.className = 'gw-headroom';
        if (g.headroom) { headroom.title = g.headroom.forecastBased ? 'after the Holt forecast upper bound' : 'no forecast yet: current use'; }
        cell(row, Array.isArray(vms) ? vms.length : (g.vmCount == null ? '' : g.vmCount));
        cell(row, when(g.lastSeen));
        cell(row, g.missedHeartbeats == null ? '' : g.missedHeartbeats);
        tbody.appendChild(row);
      });
    }, function (e) { unavailable(tbody, 10, e); });
  }

  // --- applications ---------------------------------------------------------------------------------------
  function need(n) {
    return [n.kind && n.kind !== 'SENSOR' ? n.kind.toLowerCase() : null, n.type, n.unit ? 'in ' + n.unit : null,
      n.location ? 'at ' + n.location : null, n.minRatePerMinute != null ? '≥ ' + n.minRatePerMinute + '/min' : null,
      n.maxAgeSeconds != null ? '≤ ' + n.maxAgeSeconds + ' s old' : null, n.exclusive ? 'exclusive' : null]
      .filter(function (x) { return x; }).join(' ');
  }

  function loadApps() {
    var tbody = $('apps-body');
    return collection('/apps').then(function (body) {
      var apps = listOf(body, 'apps');
      if (!changed(tbody, apps)) { return; }
      if (!apps.length) { unavailable(tbody, 8, { status: 200, message: 'No application installed.' }); return; }
      apps.forEach(function (a) {
        var row = document.createElement('tr');
        row.id = 'app-' + a.name;
        cell(row, a.name);
        cell(row, a.owner);
        cell(row, (a.needs || []).map(need).join('; ') + (a.webapp ? '; web app ' + a.webapp.war : ''));
        cell(row, when(a.installedAt));
        var granted = cell(row, a.granted && a.granted.length ? a.granted.join(', ') : 'none yet');
        granted.className = 'app-granted';
        cell(row, a.vmId || '');
        var problems = cell(row, (a.problems || []).join('; '));
        if (a.problems && a.problems.length) { problems.className = 'betaas-problem'; }
        var actions = cell(row, '');
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'app-uninstall';
        text(b, 'Uninstall');
        b.addEventListener('click', function () { uninstallApp(a.name, b); });
        actions.appendChild(b);
        tbody.appendChild(row);
      });
    }, function (e) { unavailable(tbody, 8, e); });
  }

  function uninstallApp(name, button) {
    if (!window.confirm('Uninstall ' + name + '? Its things are released, its service VM destroyed, its token revoked.')) {
      return;
    }
    button.disabled = true;
    api('DELETE', '/apps/' + encodeURIComponent(name)).then(function (r) {
      text($('app-status'), 'Uninstalled ' + r.name + (r.destroyedVm ? ' (VM ' + r.destroyedVm + ' destroyed)' : '') + '.');
      text($('app-token'), '');
      loadApps();
      loadVms();
    }, function (e) { text($('app-status'), 'Not uninstalled: ' + e.message); button.disabled = false; });
  }

  function installApp() {
    var manifest = $('app-manifest').value;
    var button = $('app-install-button');
    button.disabled = true;
    text($('app-token'), '');
    text($('app-status'), 'Installing…');
    api('POST', '/apps', manifest).then(function (app) {
      button.disabled = false;
      text($('app-status'), 'Installed ' + app.name + '.');
      // shown once, here only: the gateway keeps its hash
      text($('app-token'), 'Token of ' + app.name + ' (shown only now, keep it): ' + app.token);
      $('app-manifest').value = '';
      loadApps();
      loadVms();
    }, function (e) { button.disabled = false; text($('app-status'), 'Not installed: ' + e.message); });
  }

  // --- incidents ------------------------------------------------------------------------------------------
  function loadIncidents() {
    var tbody = $('incidents-body');
    return collection('/incidents').then(function (body) {
      var incidents = listOf(body, 'incidents');
      if (!changed(tbody, incidents)) { return; }
      if (!incidents.length) { unavailable(tbody, 9, { status: 200, message: 'No incident.' }); return; }
      incidents.slice().sort(function (a, b) { return (b.id || 0) - (a.id || 0); }).slice(0, 100).forEach(function (i) {
        var row = document.createElement('tr');
        row.id = 'incident-' + i.id;
        [i.id, when(i.time), i.kind, i.subject, i.what, i.action].forEach(function (v) { cell(row, v); });
        var outcome = cell(row, i.outcome);
        outcome.className = 'betaas-outcome-' + String(i.outcome).replace(/[^a-z]+/gi, '-').toLowerCase();
        cell(row, i.attempts);
        cell(row, when(i.updated));
        tbody.appendChild(row);
      });
    }, function (e) { unavailable(tbody, 9, e); });
  }

  // --- what the Dependability Manager watches: a summary, and the subjects failing or being recovered --------
  var KIND_NAMES = { COMPONENT: ['component', 'components'], BUNDLE: ['bundle', 'bundles'], VM: ['VM', 'VMs'],
    PEER: ['peer', 'peers'] };

  function loadWatched() {
    var line = $('watched-summary');
    var tbody = $('watched-body');
    return api('GET', '/dependability').then(function (w) {
      var subjects = w.subjects || [];
      var counts = {};
      subjects.forEach(function (s) { counts[s.kind] = (counts[s.kind] || 0) + 1; });
      var watching = Object.keys(counts).sort().map(function (k) {
        var names = KIND_NAMES[k] || [k.toLowerCase(), k.toLowerCase()];
        return counts[k] + ' ' + names[counts[k] === 1 ? 0 : 1];
      });
      text(line, (watching.length ? 'Watching ' + watching.join(', ') : 'Watching nothing yet') + ' — last looked '
        + when(w.polled) + '; ' + w.failing + ' failing now.');
      var failing = subjects.filter(function (s) { return s.failing || s.nextAttempt; });
      if (!changed(tbody, failing)) { return; }
      if (!failing.length) { unavailable(tbody, 6, { status: 200, message: 'Nothing failing.' }); return; }
      failing.forEach(function (s) {
        var row = document.createElement('tr');
        [s.kind, s.name, s.state, when(s.since), s.attempts, s.nextAttempt ? when(s.nextAttempt) : '']
          .forEach(function (v) { cell(row, v); });
        tbody.appendChild(row);
      });
    }, function (e) { text(line, ''); unavailable(tbody, 6, e); });
  }

  // --- charts ---------------------------------------------------------------------------------------------
  /**
   * Draws a line chart, or redraws it in place (no flicker on refresh). Its band is filled from a lower line
   * whose legend entry, labelled {@code hidden}, is left out.
   */
  function lineChart(key, canvas, data, hidden, scales) {
    if (charts[key]) {
      charts[key].data = data;
      charts[key].update('none');
      return;
    }
    charts[key] = new Chart(canvas, {
      type: 'line', data: data,
      options: { animation: false, responsive: false, interaction: { mode: 'index', intersect: false }, scales: scales,
        plugins: { legend: { labels: { filter: function (item) { return item.text !== hidden; } } } } }
    });
  }

  // --- forecast charts ------------------------------------------------------------------------------------
  var SCALE = { CPU: 100, MEMORY: 1 / 1073741824, STORAGE: 1 / 1073741824 };

  function scaled(values, factor) {
    return values.map(function (v) { return v == null ? null : v * factor; });
  }

  var MAX_SHOWN = 360;

  /** An x-axis label: seconds from now, in s, min or h depending on what the chart spans. */
  function timeLabel(seconds, span) {
    if (span <= 600) { return seconds + ' s'; }
    if (span <= 6 * 3600) { return Math.round(seconds / 60) + ' min'; }
    return (seconds / 3600).toFixed(1) + ' h';
  }

  function duration(seconds) {
    return seconds < 120 ? seconds + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min'
      : seconds < 172800 ? (seconds / 3600).toFixed(1).replace(/\.0$/, '') + ' h'
      : (seconds / 86400).toFixed(1).replace(/\.0$/, '') + ' d';
  }

  function drawForecast(kind, resource, intervalSeconds) {
    var canvas = $('forecast-' + kind.toLowerCase());
    if (!canvas || typeof Chart === 'undefined') { return; }
    var factor = SCALE[kind] || 1;
    var series = scaled(resource.series.slice(-MAX_SHOWN), factor);
    var f = resource.forecast;
    var n = series.length, h = f.forecasts.length;
    var labels = [];
    var span = (n + h) * intervalSeconds;
    for (var i = -n + 1; i <= h; i++) { labels.push(timeLabel(i * intervalSeconds, span)); }
    var samples = series.filter(function (v) { return v != null; }).length;
    function pad(values, before) { return new Array(before).fill(null).concat(values); }
    var last = n ? series[n - 1] : null;
    var data = {
      labels: labels,
      datasets: [
        { label: 'measured', data: series, borderColor: '#1f5fa8', backgroundColor: '#1f5fa8',
          pointRadius: samples < 30 ? 2 : 0, borderWidth: 1.5, spanGaps: false },
        { label: 'forecast', data: pad([last].concat(scaled(f.forecasts, factor)), n - 1), borderColor: '#d2691e',
          borderDash: [6, 3], pointRadius: 0, borderWidth: 1.5 },
        { label: 'lower', data: pad([last].concat(scaled(f.lower, factor)), n - 1), borderColor: 'rgba(210,105,30,0.2)',
          pointRadius: 0, borderWidth: 1, fill: false },
        { label: 'prediction band', data: pad([last].concat(scaled(f.upper, factor)), n - 1),
          borderColor: 'rgba(210,105,30,0.2)', backgroundColor: 'rgba(210,105,30,0.15)', pointRadius: 0, borderWidth: 1,
          fill: '-1' }
      ]
    };
    lineChart(kind, canvas, data, 'lower', { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } });
  }

  /** Draws the forecasts, then again as often as new samples come (every 5 to 30 s). */
  function loadForecast() {
    var next = 30;
    return api('GET', '/resources/forecast').then(function (body) {
      var steps = body.resources.length ? body.resources[0].forecast.forecasts.length : 0;
      text($('forecast-note'), '(one sample every ' + duration(body.intervalSeconds) + ', forecast '
        + duration(steps * body.intervalSeconds) + ' ahead)');
      body.resources.forEach(function (r) { drawForecast(r.kind, r, body.intervalSeconds); });
      next = Math.min(30, Math.max(5, body.intervalSeconds));
    }, function (e) {
      text($('forecast-note'), '— ' + (e.status === 503 ? 'not available: ' : '') + e.message);
    }).then(function () { window.setTimeout(loadForecast, next * 1000); });
  }

  // --- things ---------------------------------------------------------------------------------------------
  function loadThings() {
    var tbody = $('things-body');
    return api('GET', '/things').then(function (things) {
      tbody.innerHTML = '';
      if (!things.length) { unavailable(tbody, 7, { status: 200, message: 'No thing known yet.' }); return; }
      things.slice(0, 100).forEach(function (t) {
        var row = document.createElement('tr');
        [t.id, t.kind, t.type, t.location, t.protocol, t.lastSeen].forEach(function (v) { cell(row, v); });
        var values = cell(row, '…');
        values.className = 'betaas-values';
        tbody.appendChild(row);
        api('GET', '/things/' + encodeURIComponent(t.id)).then(function (detail) {
          offerHistory(t.id, detail.lastValues);
          text(values, detail.lastValues.map(function (m) {
            return (m.name ? m.name + '=' : '') + m.value + (m.unit ? ' ' + m.unit : '');
          }).join(', '));
        }, function (e) { text(values, e.message); });
      });
    }, function (e) { unavailable(tbody, 7, e); });
  }

  // --- thing history: what the Big Data Manager stored, per bucket -----------------------------------------
  var HISTORY_BUCKETS = 60;

  /** Adds the thing's values (one per SenML name) to the history choices, keeping the one chosen. */
  function offerHistory(thingId, lastValues) {
    var select = $('history-series');
    var first = !select.options.length;
    lastValues.forEach(function (m) {
      var value = JSON.stringify([thingId, m.name || '']);
      if (Array.prototype.some.call(select.options, function (o) { return o.value === value; })) { return; }
      var o = document.createElement('option');
      o.value = value;
      text(o, thingId + (m.name ? ' / ' + m.name : '') + (m.unit ? ' (' + m.unit + ')' : ''));
      select.appendChild(o);
    });
    if (first && select.options.length) { loadHistory(); }
  }

  /** The store behind the history: what it holds, how long it keeps it, its Big Data nodes and problems. */
  function loadBigData() {
    var line = $('bigdata-status');
    return api('GET', '/bigdata').then(function (b) {
      var nodes = (b.nodes || []).map(function (n) { return n.role.toLowerCase() + ' node ' + n.vmId + ' at ' + n.location; });
      text(line, 'Big Data Manager: ' + b.rows + ' values stored (' + (b.bytes / 1048576).toFixed(1) + ' MiB'
        + (b.retentionSeconds ? ', kept ' + duration(b.retentionSeconds) : ', kept until removed')
        + (b.maxRows ? ', at most ' + b.maxRows + ' values' : '') + '), '
        + (b.queriesPerMinute == null ? '?' : b.queriesPerMinute.toFixed(1)) + ' queries/min; Big Data nodes: '
        + (nodes.length ? nodes.join(', ') : 'none') + ((b.problems || []).length ? '; problems: ' + b.problems.join('; ') : ''));
      line.className = (b.problems || []).length ? 'betaas-problem' : '';
    }, function (e) { text(line, (e.status === 503 ? 'Not available: ' : '') + e.message); line.className = 'betaas-unavailable'; });
  }

  function historyTime(millis, span) {
    var iso = new Date(millis).toISOString();
    return span <= 3600 ? iso.substring(11, 19) : span <= 86400 ? iso.substring(11, 16)
      : iso.substring(5, 16).replace('T', ' ');
  }

  /** One slot per bucket of the range, empty ones included (the API leaves them out): an even time axis. */
  function historySlots(body) {
    var from = Date.parse(body.from), step = body.bucketSeconds * 1000;
    var slots = [];
    for (var t = from; t < Date.parse(body.to); t += step) { slots.push({ end: t + step, count: 0 }); }
    (body.aggregates || []).forEach(function (a) {
      var i = Math.floor((Date.parse(a.from) - from) / step);
      if (i >= 0 && i < slots.length) { a.end = slots[i].end; slots[i] = a; }
    });
    return slots;
  }

  var historyAsked = 0;

  /** The chosen value over the chosen span, as HISTORY_BUCKETS buckets of count/min/max/mean. */
  function loadHistory() {
    var select = $('history-series');
    var note = $('history-note');
    if (!select.value) { text(note, '(no thing known yet)'); return; }
    var pick = JSON.parse(select.value);
    var since = Number($('history-since').value);
    var bucket = Math.max(1, Math.round(since / HISTORY_BUCKETS));
    var asked = ++historyAsked;
    api('GET', '/things/' + encodeURIComponent(pick[0]) + '/measurements?since=' + since + 's&bucket=' + bucket + 's'
      + (pick[1] ? '&name=' + encodeURIComponent(pick[1]) : '')).then(function (body) {
      if (asked !== historyAsked) { return; } // another value or span was chosen meanwhile
      var rows = historySlots(body);
      var count = rows.reduce(function (n, a) { return n + a.count; }, 0);
      text(note, '(' + count + ' values stored over the last ' + duration(since) + ', per ' + duration(bucket) + ')');
      drawHistory(rows, since);
    }, function (e) {
      if (asked !== historyAsked) { return; }
      text(note, '— ' + (e.status === 503 ? 'not available: ' : '') + e.message);
      drawHistory([], since);
    });
  }

  function drawHistory(rows, since) {
    var canvas = $('history-chart');
    if (!canvas || typeof Chart === 'undefined') { return; }
    function field(name) { return rows.map(function (a) { return a.count ? a[name] : null; }); }
    var data = {
      labels: rows.map(function (a) { return historyTime(a.end, since); }),
      datasets: [
        { label: 'mean', data: field('mean'), borderColor: '#1f5fa8', backgroundColor: '#1f5fa8', pointRadius: 2,
          borderWidth: 1.5, spanGaps: false },
        { label: 'min', data: field('min'), borderColor: 'rgba(31,95,168,0.25)', pointRadius: 0, borderWidth: 1,
          fill: false },
        { label: 'min–max', data: field('max'), borderColor: 'rgba(31,95,168,0.25)',
          backgroundColor: 'rgba(31,95,168,0.12)', pointRadius: 0, borderWidth: 1, fill: '-1' }
      ]
    };
    lineChart('history', canvas, data, 'min', { x: { ticks: { maxTicksLimit: 12 } } });
  }

  // --- VMs ------------------------------------------------------------------------------------------------
  function vmAction(id, action) {
    if (action === 'destroy' && !window.confirm('Destroy VM ' + id + '?')) { return; }
    var row = $('vm-' + id);
    if (row) {
      Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) { b.disabled = true; });
    }
    status('VM ' + id + ': ' + action + '…', true);
    var call = action === 'destroy' ? api('DELETE', '/vms/' + encodeURIComponent(id))
      : api('POST', '/vms/' + encodeURIComponent(id) + '/' + action);
    call.then(function (vm) { status('VM ' + vm.id + ': ' + vm.state, true); loadVms(); },
      function (e) { status('VM ' + id + ': ' + e.message); $('vms-body').removeAttribute('data-shown'); loadVms(); });
  }

  function loadVms() {
    var tbody = $('vms-body');
    return api('GET', '/vms').then(function (vms) {
      if (!changed(tbody, vms)) { return; }
      if (!vms.length) { unavailable(tbody, 9, { status: 200, message: 'No VM.' }); return; }
      vms.forEach(function (vm) {
        var row = document.createElement('tr');
        row.id = 'vm-' + vm.id;
        [vm.id, vm.template, vm.driver, vm.location, vm.state, vm.vcpus, vm.memoryMiB + ' MiB', vm.createdAt]
          .forEach(function (v) { cell(row, v); });
        var actions = cell(row, '');
        ['stop', 'resume', 'destroy'].forEach(function (action) {
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'vm-' + action;
          text(b, action.charAt(0).toUpperCase() + action.slice(1));
          b.disabled = (action === 'stop' && vm.state !== 'RUNNING') || (action === 'resume' && vm.state !== 'STOPPED');
          b.addEventListener('click', function () { vmAction(vm.id, action); });
          actions.appendChild(b);
        });
        tbody.appendChild(row);
      });
    }, function (e) { unavailable(tbody, 9, e); });
  }

  // --- placement dialog: the decision and its reasons first, then the deployment ----------------------------
  function openPlacement() {
    var select = $('placement-template');
    text($('placement-result'), '');
    $('placement-deploy').disabled = true;
    text($('placement-deploy'), 'Deploy');
    api('GET', '/templates').then(function (body) {
      select.innerHTML = '';
      body.templates.forEach(function (t) {
        var o = document.createElement('option');
        o.value = t.name;
        text(o, t.name + ' (' + t.kind + ', ' + t.vcpus + ' vCPU, ' + t.memoryMiB + ' MiB)');
        select.appendChild(o);
      });
      if (body.templates.length) { explain(); } else { text($('placement-result'), 'No VM template is installed.'); }
    }, function (e) { text($('placement-result'), e.message); });
    $('placement-dialog').showModal();
  }

  var explained = 0;

  function explain() {
    var template = $('placement-template').value;
    var result = $('placement-result');
    var deployButton = $('placement-deploy');
    var asked = ++explained;
    deployButton.disabled = true;
    text(result, 'Asking the TaaS Resources Manager where ' + template + ' would go…');
    api('GET', '/placement/explain?template=' + encodeURIComponent(template)).then(function (d) {
      if (asked !== explained) { return; } // the template changed meanwhile
      result.innerHTML = '';
      var p = document.createElement('p');
      p.className = 'betaas-decision-' + d.decision;
      p.id = 'placement-decision';
      text(p, d.decision === 'rejected' ? 'Rejected: ' + d.reason
        : 'Goes to ' + d.target + (d.decision === 'remote' ? ' (remote cloud)' : ' (this instance)'));
      result.appendChild(p);
      var ul = document.createElement('ul');
      ul.id = 'placement-reasons';
      d.reasons.forEach(function (r) { var li = document.createElement('li'); text(li, r); ul.appendChild(li); });
      result.appendChild(ul);
      deployButton.disabled = d.decision === 'rejected';
      text(deployButton, d.decision === 'rejected' ? 'Deploy' : 'Deploy on ' + d.target);
    }, function (e) { if (asked === explained) { text(result, e.message); deployButton.disabled = true; } });
  }

  function deploy() {
    var template = $('placement-template').value;
    $('placement-deploy').disabled = true;
    $('placement-explain').disabled = true;
    var progress = document.createElement('p');
    progress.id = 'placement-progress';
    text(progress, 'Deploying ' + template + '…');
    $('placement-result').appendChild(progress);
    api('POST', '/vms', { template: template }).then(function (vm) {
      $('placement-explain').disabled = false;
      $('placement-dialog').close();
      status('Deployed VM ' + vm.id + ' on ' + vm.location + ' (' + vm.driver + ')', true);
      $('betaas-status').setAttribute('data-vm', vm.id);
      loadVms();
    }, function (e) {
      $('placement-explain').disabled = false;
      text(progress, 'Deployment failed: ' + e.message);
    });
  }

  // --- remote cloud form ----------------------------------------------------------------------------------
  var CLOUD_FIELDS = ['provider', 'authUrl', 'user', 'project', 'domain', 'region', 'maxVms'];

  function showCloud(c) {
    CLOUD_FIELDS.forEach(function (k) { if (c[k] != null) { $('cloud-' + k).value = c[k]; } });
    $('cloud-password').value = '';
    $('cloud-password').placeholder = c.passwordSet ? '(stored: type to replace)' : '(not set)';
    var state = $('cloud-password-state');
    text(state, c.passwordSet ? 'a password is stored' : 'no password stored');
    state.className = 'betaas-badge ' + (c.passwordSet ? 'betaas-password-set' : 'betaas-password-unset');
  }

  function loadCloud() {
    return api('GET', '/cloud').then(showCloud, function (e) { text($('cloud-status'), e.message); });
  }

  function saveCloud(event) {
    event.preventDefault();
    var body = {};
    CLOUD_FIELDS.forEach(function (k) { body[k] = $('cloud-' + k).value; });
    var password = $('cloud-password').value;
    if (password) { body.password = password; }
    $('cloud-password').value = '';
    api('PUT', '/cloud', body).then(function (c) {
      showCloud(c);
      text($('cloud-status'), 'Saved to configuration ' + c.pid + '.');
    }, function (e) { text($('cloud-status'), 'Not saved: ' + e.message); });
  }

  $('vm-new').addEventListener('click', openPlacement);
  $('placement-explain').addEventListener('click', explain);
  $('placement-deploy').addEventListener('click', deploy);
  $('placement-cancel').addEventListener('click', function () { $('placement-dialog').close(); });
  $('placement-template').addEventListener('change', explain);
  $('cloud-form').addEventListener('submit', saveCloud);
  $('app-install-button').addEventListener('click', installApp);
  $('history-series').addEventListener('change', loadHistory);
  $('history-since').addEventListener('change', loadHistory);

  loadGateway();
  loadInstance();
  loadForecast();
  loadThings();
  loadVms();
  loadApps();
  loadIncidents();
  loadWatched();
  loadBigData();
  loadCloud();
  // live values: things, VMs and gateways every 5 s, apps, incidents, what is watched and the thing history every
  // 10 s, resources every 30 s (the forecast reschedules itself by its sampling interval)
  window.setInterval(function () { loadThings(); loadVms(); loadInstance(); }, 5000);
  window.setInterval(function () { loadApps(); loadIncidents(); loadWatched(); loadHistory(); loadBigData(); }, 10000);
  window.setInterval(loadGateway, 30000);
}());
