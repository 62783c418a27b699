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
  function status(message) { text($('betaas-status'), message); }

  /** Calls the API; resolves with the JSON body, rejects with {status, code, message}. */
  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
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

  function unavailable(tbody, columns, error) {
    tbody.innerHTML = '';
    var row = document.createElement('tr');
    var td = cell(row, error.status === 503 ? 'Not available: ' + error.message
      : error.status >= 400 ? 'Error ' + error.status + ': ' + error.message : error.message);
    td.colSpan = columns;
    td.className = 'betaas-unavailable';
    tbody.appendChild(row);
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

  // --- forecast charts ------------------------------------------------------------------------------------
  var SCALE = { CPU: 100, MEMORY: 1 / 1073741824, STORAGE: 1 / 1073741824 };

  function scaled(values, factor) {
    return values.map(function (v) { return v == null ? null : v * factor; });
  }

  function drawForecast(kind, resource, intervalSeconds) {
    var canvas = $('forecast-' + kind.toLowerCase());
    if (!canvas || typeof Chart === 'undefined') { return; }
    var factor = SCALE[kind] || 1;
    var series = scaled(resource.series, factor);
    var f = resource.forecast;
    var n = series.length, h = f.forecasts.length;
    var labels = [];
    for (var i = -n + 1; i <= h; i++) { labels.push(Math.round(i * intervalSeconds / 60) + ' min'); }
    function pad(values, before) { return new Array(before).fill(null).concat(values); }
    var last = n ? series[n - 1] : null;
    var data = {
      labels: labels,
      datasets: [
        { label: 'measured', data: series, borderColor: '#1f5fa8', pointRadius: 0, borderWidth: 1.5, spanGaps: false },
        { label: 'forecast', data: pad([last].concat(scaled(f.forecasts, factor)), n - 1), borderColor: '#d2691e',
          borderDash: [6, 3], pointRadius: 0, borderWidth: 1.5 },
        { label: 'lower', data: pad([last].concat(scaled(f.lower, factor)), n - 1), borderColor: 'rgba(210,105,30,0.2)',
          pointRadius: 0, borderWidth: 1, fill: false },
        { label: 'prediction band', data: pad([last].concat(scaled(f.upper, factor)), n - 1),
          borderColor: 'rgba(210,105,30,0.2)', backgroundColor: 'rgba(210,105,30,0.15)', pointRadius: 0, borderWidth: 1,
          fill: '-1' }
      ]
    };
    if (charts[kind]) {
      charts[kind].data = data;
      charts[kind].update('none');
      return;
    }
    charts[kind] = new Chart(canvas, {
      type: 'line', data: data,
      options: { animation: false, responsive: false, interaction: { mode: 'index', intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } },
        plugins: { legend: { labels: { filter: function (item) { return item.text !== 'lower'; } } } } }
    });
  }

  function loadForecast() {
    return api('GET', '/resources/forecast').then(function (body) {
      text($('forecast-note'), '(one sample every ' + body.intervalSeconds + ' s)');
      body.resources.forEach(function (r) { drawForecast(r.kind, r, body.intervalSeconds); });
    }, function (e) { text($('forecast-note'), '— ' + (e.status === 503 ? 'not available: ' : '') + e.message); });
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
          text(values, detail.lastValues.map(function (m) {
            return (m.name ? m.name + '=' : '') + m.value + (m.unit ? ' ' + m.unit : '');
          }).join(', '));
        }, function (e) { text(values, e.message); });
      });
    }, function (e) { unavailable(tbody, 7, e); });
  }

  // --- VMs ------------------------------------------------------------------------------------------------
  function vmAction(id, action) {
    if (action === 'destroy' && !window.confirm('Destroy VM ' + id + '?')) { return; }
    var call = action === 'destroy' ? api('DELETE', '/vms/' + encodeURIComponent(id))
      : api('POST', '/vms/' + encodeURIComponent(id) + '/' + action);
    call.then(function (vm) { status(''); text($('betaas-status'), 'VM ' + vm.id + ': ' + vm.state); loadVms(); },
      function (e) { status('VM ' + id + ': ' + e.message); });
  }

  function loadVms() {
    var tbody = $('vms-body');
    return api('GET', '/vms').then(function (vms) {
      tbody.innerHTML = '';
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

  // --- placement dialog -----------------------------------------------------------------------------------
  function openPlacement() {
    var select = $('placement-template');
    text($('placement-result'), '');
    $('placement-deploy').disabled = true;
    api('GET', '/templates').then(function (body) {
      select.innerHTML = '';
      body.templates.forEach(function (t) {
        var o = document.createElement('option');
        o.value = t.name;
        text(o, t.name + ' (' + t.kind + ', ' + t.vcpus + ' vCPU, ' + t.memoryMiB + ' MiB)');
        select.appendChild(o);
      });
    }, function (e) { text($('placement-result'), e.message); });
    $('placement-dialog').showModal();
  }

  function explain() {
    var template = $('placement-template').value;
    var result = $('placement-result');
    api('GET', '/placement/explain?template=' + encodeURIComponent(template)).then(function (d) {
      result.innerHTML = '';
      var p = document.createElement('p');
      p.className = 'betaas-decision-' + d.decision;
      p.id = 'placement-decision';
      text(p, d.decision === 'rejected' ? 'Rejected: ' + d.reason : 'Goes to ' + d.target + ' (' + d.decision + ')');
      result.appendChild(p);
      var ul = document.createElement('ul');
      d.reasons.forEach(function (r) { var li = document.createElement('li'); text(li, r); ul.appendChild(li); });
      result.appendChild(ul);
      $('placement-deploy').disabled = d.decision === 'rejected';
    }, function (e) { text(result, e.message); $('placement-deploy').disabled = true; });
  }

  function deploy() {
    var template = $('placement-template').value;
    $('placement-deploy').disabled = true;
    text($('placement-result'), 'Deploying ' + template + '…');
    api('POST', '/vms', { template: template }).then(function (vm) {
      $('placement-dialog').close();
      status('Deployed VM ' + vm.id + ' on ' + vm.location + ' (' + vm.driver + ')');
      loadVms();
    }, function (e) { text($('placement-result'), 'Deployment failed: ' + e.message); });
  }

  // --- remote cloud form ----------------------------------------------------------------------------------
  var CLOUD_FIELDS = ['provider', 'authUrl', 'user', 'project', 'domain', 'region', 'maxVms'];

  function showCloud(c) {
    CLOUD_FIELDS.forEach(function (k) { if (c[k] != null) { $('cloud-' + k).value = c[k]; } });
    $('cloud-password').value = '';
    $('cloud-password').placeholder = c.passwordSet ? '(stored: type to replace)' : '(not set)';
    text($('cloud-password-state'), c.passwordSet ? 'a password is stored' : 'no password stored');
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
  $('placement-template').addEventListener('change', function () { $('placement-deploy').disabled = true; text($('placement-result'), ''); });
  $('cloud-form').addEventListener('submit', saveCloud);

  loadGateway();
  loadForecast();
  loadThings();
  loadVms();
  loadCloud();
  // live values: things and VMs every 5 s, resources and forecast every 30 s
  window.setInterval(function () { loadThings(); loadVms(); }, 5000);
  window.setInterval(function () { loadGateway(); loadForecast(); }, 30000);
}());
