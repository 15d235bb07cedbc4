/*
 * The options page's account field: the Gmail address MAX counts as "me" (settings.account).
 * Rule: only the user sets it — typed, or pre-filled from what an open Gmail tab shows
 * (op-bg-read-gmail-account, through the background) and then confirmed with the button; an
 * address the user did not submit is never stored. Pairing sends it along (background.js).
 */
(() => {
  const { MSG, settings: SETTINGS, t } = globalThis.MAX;
  const form = document.querySelector('#account-form');
  const status = document.querySelector('#account-status');

  async function load() {
    const { account } = SETTINGS.withDefaults(await chrome.storage.local.get(null));
    if (account) {
      form.account.value = account;
      status.textContent = t('optAccountConfirmed', [account]);
      return;
    }
    status.textContent = t('optAccountUnconfirmed');
    const read = await chrome.runtime.sendMessage({ type: MSG.OP_BG_READ_GMAIL_ACCOUNT }).catch(() => null);
    if (read?.ok && read.data?.account && !form.account.value) {
      form.account.value = read.data.account;
      status.textContent = t('optAccountSuggested');
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const account = SETTINGS.normaliseAccount(form.account.value);
    if (!account) {
      status.textContent = t('optInvalid', [t('optAccount')]);
      return;
    }
    await chrome.storage.local.set({ account });
    form.account.value = account;
    status.textContent = t('optAccountConfirmed', [account]);
  });

  load();
})();
