// Autocomplete for the search box in the site header.
//
// The form works without this script. With it, typing sends a debounced
// request to the API's autocomplete endpoint, and the results are shown as
// an ARIA 1.2 combobox with a listbox popup. The up and down arrow keys move
// through the suggestions, Enter opens the active one, Escape closes the
// list, and a click opens a suggestion. Enter with no active suggestion
// submits the form.
// Every text the user sees comes from the form's data- attributes, which the
// template renders translated.
(function () {
  "use strict";

  const DEBOUNCE_MILLISECONDS = 200;

  const form = document.querySelector("form.search-form[data-autocomplete-url]");
  const input = form && form.querySelector('input[name="q"]');
  if (!form || !input || !window.fetch) {
    return;
  }

  const listbox = document.createElement("ul");
  listbox.id = input.id + "-suggestions";
  listbox.className = "suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", form.dataset.listboxLabel || "");
  listbox.hidden = true;

  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.after(listbox, status);

  let debounceTimer = null;
  let pendingRequest = null;
  let options = [];
  let activeIndex = -1;

  // The API collapses runs of spaces the same way before it searches.
  function normalize(text) {
    return text.split(/\s+/).filter(Boolean).join(" ");
  }

  function close() {
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    options = [];
    activeIndex = -1;
  }

  function setActive(index) {
    if (activeIndex >= 0) {
      options[activeIndex].setAttribute("aria-selected", "false");
    }
    activeIndex = index;
    const option = options[index];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function openPage(url) {
    close();
    window.location.assign(url);
  }

  function makeOption(result, index) {
    const option = document.createElement("li");
    option.id = listbox.id + "-" + index;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.textContent = result.title;
    option.dataset.url = result.page_url;
    // Keep the focus in the search box, so that a click is not a blur first.
    option.addEventListener("mousedown", (event) => event.preventDefault());
    option.addEventListener("click", () => openPage(result.page_url));
    return option;
  }

  function show(results) {
    close();
    status.textContent = results.length
      ? form.dataset.statusResults || ""
      : form.dataset.statusEmpty || "";
    if (!results.length) {
      return;
    }
    options = results.map(makeOption);
    listbox.replaceChildren(...options);
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  async function suggest(query) {
    if (pendingRequest) {
      pendingRequest.abort();
    }
    pendingRequest = new AbortController();
    const url = new URL(form.dataset.autocompleteUrl, window.location.href);
    url.searchParams.set("q", query);
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        signal: pendingRequest.signal,
      });
      if (!response.ok) {
        close();
        return;
      }
      const body = await response.json();
      // The user may have typed on while the request was in flight.
      if (normalize(input.value) === query) {
        show(body.results);
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        close();
      }
    }
  }

  input.addEventListener("input", () => {
    window.clearTimeout(debounceTimer);
    const query = normalize(input.value);
    if (!query) {
      if (pendingRequest) {
        pendingRequest.abort();
      }
      close();
      status.textContent = "";
      return;
    }
    debounceTimer = window.setTimeout(() => suggest(query), DEBOUNCE_MILLISECONDS);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      setActive((activeIndex + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      setActive(activeIndex <= 0 ? options.length - 1 : activeIndex - 1);
    } else if (event.key === "Enter" && activeIndex >= 0) {
      event.preventDefault();
      openPage(options[activeIndex].dataset.url);
    } else if (event.key === "Escape" && !listbox.hidden) {
      // Only close the list: the browser's own Escape would also clear the
      // search box.
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);
})();
