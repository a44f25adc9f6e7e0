"""A small Russian -> English glossary of the troubleshooter's subject.

A Russian query also searches the English words of every pitfall through it, so a pitfall
that is (still) written only in English is found by a Russian question too. Keys are
Russian words as people type them, values English words as the pitfalls use them; both
sides are compared by their stems.
"""

from __future__ import annotations

from functools import cache

from tgtui.troubleshoot.words import stem, tokens

_PAIRS = """
код code | коды code | смс sms | sms sms | звонок call | пришел arrive | приходит arrive
пришло arrive | прийти arrive | получить get | получил receive | придет arrive
неверный invalid | неправильный wrong | ошибка error | истек expired | просрочен expired
устарел expired | пароль password | подсказка hint | забыл forgot | облачный cloud
двухэтапная two-step | двухфакторная two-factor | 2fa 2fa | номер number | телефон phone
бан ban | забанили banned | забанен banned | заблокирован banned | блокировка ban
спам spam | удален deleted | удалили deleted | аккаунт account | учетка account
сессия session | сеанс session | сессии session | вылетела revoked | разлогинило revoked
завершили terminated | устройства devices | ключ key | хеш hash | хэш hash | приложение application
создать create | сайт site | портал portal | форма form | браузер browser | куки cookies
попытки attempts | слишком too | много many | часто many | подождать wait | ждать wait
ожидание wait | флуд flood | лимит limit | прокси proxy | прокси-сервер proxy | заблокирован blocked
таймаут timeout | сеть network | интернет internet | сервер server | часы clock | время time
терминал terminal | маленький small | файл file | права permissions | поврежден corrupt
битый corrupt | занят locked | блокирован locked | бот bot | токен token | ботфазер botfather
сканировать scan | отсканировать scan | камера camera | qr qr | куар qr | истекла expired
регистрация sign | зарегистрировать register | пустой empty | переслал forwarded
поделился shared | утек leaked | утекли leaked | гитхаб github | команда team | компания company
домен domain | фишинг phishing | поддельный fake | новый new | проверить verified
перезапустить restart | заново restart | рабочий working | паскод passcode | десктоп desktop
связка keyring | секрет secret | конфиг config | настройки settings
телеграм telegram | телега telegram | телеграмм telegram | вейт wait | вэйт wait
флудвейт flood | вход login | войти login | авторизация authorization
выкинуло logged | разлогинился logged | помню remember | вспомнить remember
сим sim | симка sim | симку sim
"""


@cache
def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for pair in _PAIRS.replace("\n", "|").split("|"):
        words = pair.split()
        if len(words) != 2:
            continue
        russian, english = words
        table.setdefault(stem(russian), set()).update(stem(w) for w in tokens(english))
    return {key: frozenset(value) for key, value in table.items()}


def english_for(term: str) -> frozenset[str]:
    """English stems for a Russian stem; empty when the glossary has none."""
    return _table().get(term, frozenset())


def russian_terms() -> frozenset[str]:
    """Every Russian stem the glossary knows (part of the search vocabulary)."""
    return frozenset(_table())
