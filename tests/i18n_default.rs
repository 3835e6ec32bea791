//! The process's default language, alone in its own test binary: `i18n::set_default` is
//! process-wide, so setting it beside other tests would change the language they run in.

use scratchnet::i18n::{self, Lang};

#[test]
fn set_default_changes_every_thread_but_not_an_override() {
    assert_eq!(i18n::lang(), Lang::En, "English until told otherwise");
    i18n::set_default(Lang::Zh);
    assert_eq!(i18n::lang(), Lang::Zh);
    assert_eq!(std::thread::spawn(i18n::lang).join().unwrap(), Lang::Zh, "every thread");
    assert_eq!(scratchnet::t!("cli.hint", message = "--lang en"), "提示：--lang en");
    assert_eq!(i18n::with_lang(Lang::En, i18n::lang), Lang::En, "an override still wins");
    i18n::set_default(Lang::En);
    assert_eq!(i18n::lang(), Lang::En);
    assert_eq!(scratchnet::t!("cli.hint", message = "--lang zh"), "hint: --lang zh");
}
