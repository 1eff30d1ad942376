/* tp-i18n.c: gettext set-up and switching the message language at run time. */
#define G_LOG_DOMAIN "tp-i18n"

#include "tp-i18n.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

/* glibc's catalogue cache is keyed on this counter: bumping it makes a LANGUAGE change take
 * effect at once (as the gettext manual advises). */
extern int _nl_msg_cat_cntr;

static char *current_language;

static const char *
catalogue_dir (void)
{
  g_autofree char *installed = g_build_filename (LOCALEDIR, "ko", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
  const char *override = g_getenv ("TOUCHPOINT_LOCALEDIR");

  if (override && *override)
    return override;
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return LOCALEDIR;
  return TP_BUILD_LOCALEDIR;
}

void
tp_i18n_init (void)
{
  const char *messages;

  setlocale (LC_ALL, "");
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, catalogue_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
tp_i18n_set_language (const char *language)
{
  g_return_if_fail (language != NULL);

  if (g_strcmp0 (current_language, language) == 0)
    return;
  g_free (current_language);
  current_language = g_strdup (language);
  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

const char *
tp_i18n_get_language (void)
{
  return current_language ? current_language : "en";
}

const char *
tp_i18n_message_language (void)
{
  /* Translators: the code of your language ("ko"), not a translation of "en". */
  return C_("language code of this catalogue", "en");
}
