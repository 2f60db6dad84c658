/* Check-ins waiting on this device for a connection (IndexedDB "companion", store
 * "outbox"), shared by the pages and the service worker.
 *
 * Each waiting check-in is {client_uuid, url, body, csrf, saved_at}: what the API will be
 * sent, with the client-made UUID that makes a repeat harmless (the server stores the
 * first and answers any repeat with the same check-in). It leaves the device as soon as
 * the server has it (200/201), or when the server refuses it for good (400, kept in
 * "refused" until a page has told the person). Nothing else is stored here.
 */
(function (scope) {
  "use strict";
  var DB = "companion";
  var VERSION = 1;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("outbox")) { db.createObjectStore("outbox", { keyPath: "client_uuid" }); }
        if (!db.objectStoreNames.contains("refused")) { db.createObjectStore("refused", { keyPath: "client_uuid" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = action(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var flushing = null;

  var Outbox = {
    SYNC_TAG: "companion-outbox",
    add: function (item) { return run("outbox", "readwrite", function (s) { return s.put(item); }); },
    all: function () { return run("outbox", "readonly", function (s) { return s.getAll(); }); },
    remove: function (uuid) { return run("outbox", "readwrite", function (s) { return s.delete(uuid); }); },
    refused: function () { return run("refused", "readonly", function (s) { return s.getAll(); }); },
    forgetRefused: function (uuid) { return run("refused", "readwrite", function (s) { return s.delete(uuid); }); },

    /* Send what waits, oldest first. `csrf`: a fresh token from a page (a stored one may
     * be stale after signing in again). Resolves to how many reached the server. */
    flush: function (csrf) {
      if (flushing) { return flushing; }
      // One sender at a time across this device's pages and its service worker (Web Locks):
      // a page coming online and a background sync must not send the same check-in at once.
      var locks = scope.navigator && scope.navigator.locks;
      flushing = locks
        ? locks.request("companion-outbox", function () { return send(csrf); })
        : send(csrf);
      flushing = flushing.then(function (sent) { flushing = null; return sent; }, function (error) { flushing = null; throw error; });
      return flushing;
    }
  };

  function send(csrf) {
      return Outbox.all().then(function (items) {
        items.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
        var sent = 0;
        var chain = Promise.resolve();
        items.forEach(function (item) {
          chain = chain.then(function () {
            return fetch(item.url, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": csrf || item.csrf },
              body: JSON.stringify(item.body)
            }).then(function (response) {
              if (response.ok) { sent += 1; return Outbox.remove(item.client_uuid); }
              if (response.status === 400) {
                return response.json().catch(function () { return {}; }).then(function (errors) {
                  return run("refused", "readwrite", function (s) { return s.put({ client_uuid: item.client_uuid, saved_at: item.saved_at, errors: errors }); });
                }).then(function () { return Outbox.remove(item.client_uuid); });
              }
              throw new Error("not sent: " + response.status);  // signed out, or server trouble: later
            });
          });
        });
        return chain.then(function () { return sent; });
      });
  }

  /* The check-in form's fields as the API takes them (POST /api/v1/checkins/). The time
   * is when the person checked in: the form's own "When was this?" if filled (the device's
   * local time), else now. */
  Outbox.fromForm = function (data, now) {
    var body = {
      client_uuid: data.get("client_uuid"),
      felt_intensity: parseInt(data.get("felt_intensity"), 10),
      emotions: [],
      symptoms: {},
      triggers: data.getAll("triggers"),
      note: data.get("note") || "",
      shared: data.get("shared") === "on",
      occurred_at: data.get("occurred_at") ? new Date(data.get("occurred_at")).toISOString() : (now || new Date()).toISOString()
    };
    if (!data.get("cant_name")) {
      var seen = {};
      data.getAll("emotions").forEach(function (slug) {
        if (seen[slug]) { return; }
        seen[slug] = true;
        var strength = parseInt(data.get("intensity_" + slug) || "5", 10);
        body.emotions.push({ emotion: slug, intensity: isNaN(strength) ? 5 : strength });
      });
    }
    data.forEach(function (value, name) {
      if (name.indexOf("symptom_") === 0 && value !== "") { body.symptoms[name.slice(8)] = parseInt(value, 10); }
    });
    return body;
  };

  scope.CompanionOutbox = Outbox;
})(typeof self !== "undefined" ? self : window);
