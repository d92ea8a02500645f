// Passkeys in the console: registration on the account page, passwordless sign-in on the sign-in page, and the
// passkey as second factor after the password. The server's WebAuthn options and the answers it verifies are JSON with
// binary fields as base64url (Fido2NetLib's shapes); the browser's API wants ArrayBuffers, so they are converted here
// field by field rather than through parse*FromJSON, which older browsers lack and which rejects the nulls the server
// may send for absent members.
(function () {
  "use strict";

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4 !== 0) { base64 += "="; }
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // WebIDL dictionaries take an absent member, not null: a null enum member is a TypeError.
  function withoutNulls(value) {
    if (Array.isArray(value)) { return value.map(withoutNulls); }
    if (value === null || typeof value !== "object") { return value; }
    var copy = {};
    Object.keys(value).forEach(function (key) {
      if (value[key] !== null && value[key] !== undefined) { copy[key] = withoutNulls(value[key]); }
    });
    return copy;
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var copy = withoutNulls(d);
      copy.id = toBuffer(d.id);
      return copy;
    });
  }

  function creationOptions(json) {
    var options = withoutNulls(json);
    options.challenge = toBuffer(json.challenge);
    options.user.id = toBuffer(json.user.id);
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    var options = withoutNulls(json);
    options.challenge = toBuffer(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function attestationJson(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: toBase64url(response.attestationObject),
        clientDataJSON: toBase64url(response.clientDataJSON),
        transports: typeof response.getTransports === "function" ? response.getTransports() : []
      },
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function assertionJson(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: toBase64url(response.authenticatorData),
        clientDataJSON: toBase64url(response.clientDataJSON),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null
      },
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  var status = document.getElementById("passkey-status");

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.className = isError ? "passkey-status error" : "passkey-status";
  }

  // A refusal's reason: the API's problem details, or the console's HTML page for a stale form token.
  function reason(response, fallback) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") < 0) {
      return Promise.resolve(response.status === 400
        ? "This page's security token is no longer valid: reload the page and try again."
        : fallback + " (" + response.status + ")");
    }
    return response.json().then(function (problem) { return problem.detail || fallback; }, function () { return fallback; });
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function postForm(url, form, extra) {
    var body = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (key) { body.set(key, extra[key]); });
    return fetch(url, { method: "POST", credentials: "same-origin", body: body });
  }

  // The browser's own errors: the user closed the prompt, or no passkey of this site is on the authenticator.
  function failed(error) {
    if (error && error.name === "NotAllowedError") {
      say("The passkey prompt was closed or timed out; nothing was changed.", true);
    } else if (error && error.name === "InvalidStateError") {
      say("This authenticator holds a passkey of your account already.", true);
    } else {
      say(error && error.message ? error.message : String(error), true);
    }
  }

  function supported() {
    if (window.PublicKeyCredential && navigator.credentials) { return true; }
    say("This browser does not support passkeys.", true);
    return false;
  }

  function register(form) {
    var name = form.elements.name.value.trim();
    if (!name) { say("Give the passkey a name.", true); return; }
    say("Follow your browser's prompt to create the passkey…", false);
    postJson("/api/v1/auth/passkeys/register/begin", {}).then(function (begun) {
      if (!begun.ok) { return reason(begun, "The server refused to start").then(function (text) { throw new Error(text); }); }
      return begun.json();
    }).then(function (json) {
      return navigator.credentials.create({ publicKey: creationOptions(json) });
    }).then(function (credential) {
      return postJson("/api/v1/auth/passkeys/register/complete", { name: name, response: attestationJson(credential) });
    }).then(function (completed) {
      if (!completed.ok) { return reason(completed, "The server refused the passkey").then(function (text) { throw new Error(text); }); }
      // The registration gave this browser a new session: the reloaded page lists the passkey with fresh forms.
      window.location.reload();
    }).catch(failed);
  }

  function signInPasswordless() {
    say("Follow your browser's prompt to use your passkey…", false);
    var ceremony;
    postJson("/api/v1/auth/passkeys/signin/begin", {}).then(function (begun) {
      if (!begun.ok) { return reason(begun, "Sign-in could not start").then(function (text) { throw new Error(text); }); }
      return begun.json();
    }).then(function (json) {
      ceremony = json.ceremony;
      return navigator.credentials.get({ publicKey: requestOptions(json.options) });
    }).then(function (credential) {
      return postJson("/api/v1/auth/passkeys/signin/complete", { ceremony: ceremony, response: assertionJson(credential) });
    }).then(function (completed) {
      if (completed.ok) {
        return completed.json().then(function (result) {
          window.location.assign(result.mfaEnrolmentRequired ? "/console/account" : "/console/queue");
        });
      }
      if (completed.status === 401) {
        return completed.json().then(function (problem) {
          throw new Error(problem.title === "Password required"
            ? "Your authenticator did not verify you (no PIN or biometric): sign in with your password, then use the passkey."
            : "Sign-in failed: that passkey was not accepted, or the account is disabled.");
        });
      }
      return reason(completed, "Sign-in failed").then(function (text) { throw new Error(text); });
    }).catch(failed);
  }

  function signInSecondFactor(form) {
    say("Follow your browser's prompt to use your passkey…", false);
    postForm("/console/signin/passkey/begin", form).then(function (begun) {
      if (!begun.ok) { return reason(begun, "Sign-in could not go on").then(function (text) { throw new Error(text); }); }
      return begun.json();
    }).then(function (json) {
      return navigator.credentials.get({ publicKey: requestOptions(json) });
    }).then(function (credential) {
      return postForm("/console/signin/passkey", form, { response: JSON.stringify(assertionJson(credential)) });
    }).then(function (completed) {
      if (!completed.ok) { return reason(completed, "Sign-in failed").then(function (text) { throw new Error(text); }); }
      return completed.json().then(function (result) { window.location.assign(result.location); });
    }).catch(failed);
  }

  var add = document.getElementById("passkey-add");
  if (add) {
    add.addEventListener("submit", function (event) {
      event.preventDefault();
      if (supported()) { register(add); }
    });
  }
  var passwordless = document.getElementById("passkey-signin");
  if (passwordless) {
    passwordless.addEventListener("click", function () {
      if (supported()) { signInPasswordless(); }
    });
  }
  var second = document.getElementById("passkey-second");
  if (second) {
    second.addEventListener("submit", function (event) {
      event.preventDefault();
      if (supported()) { signInSecondFactor(second); }
    });
  }
}());
