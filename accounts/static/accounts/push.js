// Settings: turn notifications on or off for this device (Web Push).
// Needs a service worker (site-wide /sw.js) and the Push API; without them the page keeps
// its note that reminders come by email, and nothing here runs.
(function () {
  "use strict";
  var panel = document.getElementById("push-panel");
  if (!panel || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) {
    return;
  }
  var button = document.getElementById("push-toggle");
  var status = document.getElementById("push-status");
  var unsupported = document.getElementById("push-unsupported");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function say(key) { status.textContent = panel.dataset[key] || ""; }

  function keyBytes(base64url) {
    var padded = base64url.replace(/-/g, "+").replace(/_/g, "/");
    padded += "===".slice((padded.length + 3) % 4);
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.status === 204 ? null : response.json();
    });
  }

  function registration() {
    // The site registers /sw.js on every page; register it here too if that has not happened yet.
    return navigator.serviceWorker.getRegistration("/").then(function (found) {
      return found || navigator.serviceWorker.register("/sw.js", { scope: "/" });
    }).then(function () { return navigator.serviceWorker.ready; });
  }

  function show(subscribed) {
    button.textContent = subscribed ? panel.dataset.offText : panel.dataset.onText;
    button.setAttribute("aria-pressed", subscribed ? "true" : "false");
    button.dataset.subscribed = subscribed ? "1" : "";
  }

  function subscribe(reg) {
    return api("GET", panel.dataset.keyUrl).then(function (data) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(data.key) });
    }).then(function (subscription) {
      return api("POST", panel.dataset.subscriptionsUrl, subscription.toJSON());
    });
  }

  function turnOn(reg) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("deniedStatus"); return false; }
      return subscribe(reg).then(function () { say("onStatus"); return true; });
    });
  }

  function sameKey(subscription, key) {
    var held = subscription.options && subscription.options.applicationServerKey;
    if (!held) { return true; } // the browser does not say: nothing to compare
    var a = new Uint8Array(held), b = keyBytes(key);
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }

  // After the server's key pair changed, the push service refuses this browser's old
  // subscription (and the server has dropped it): subscribe again with the new key, so
  // notifications go on without the person doing anything.
  function renewIfKeyChanged(reg, subscription) {
    if (!subscription || Notification.permission !== "granted") { return Promise.resolve(subscription); }
    return api("GET", panel.dataset.keyUrl).then(function (data) {
      if (sameKey(subscription, data.key)) { return subscription; }
      return subscription.unsubscribe().then(function () { return subscribe(reg); }).then(function () {
        return reg.pushManager.getSubscription();
      });
    }).catch(function () { return reg.pushManager.getSubscription(); });
  }

  function turnOff(reg) {
    return reg.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) { return null; }
      // Posting it again answers with this device's id (nothing new is stored), then remove it.
      return api("POST", panel.dataset.subscriptionsUrl, subscription.toJSON()).then(function (device) {
        return api("DELETE", panel.dataset.subscriptionsUrl + device.id + "/");
      }).then(function () { return subscription.unsubscribe(); });
    }).then(function () { say("offStatus"); return false; });
  }

  registration().then(function (reg) {
    panel.hidden = false;
    if (unsupported) { unsupported.hidden = true; }
    return reg.pushManager.getSubscription().then(function (subscription) {
      return renewIfKeyChanged(reg, subscription);
    }).then(function (subscription) {
      show(Boolean(subscription) && Notification.permission === "granted");
      button.addEventListener("click", function () {
        button.disabled = true;
        var change = button.dataset.subscribed ? turnOff(reg) : turnOn(reg);
        change.then(function (subscribed) { show(subscribed); }).catch(function () { say("failedStatus"); }).then(function () { button.disabled = false; });
      });
    });
  }).catch(function () { /* no service worker here: the email note stays */ });
})();
