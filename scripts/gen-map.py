#!/usr/bin/env python3
"""Writes a large journey map (JSON model) for trying layouts, pages and posters at the size
real workshops produce: by default 6 stages, 40 touchpoints over 15 channels, two personas,
thoughts, pains, opportunities and KPIs. The same arguments give the same bytes (a fixed-seed
generator, no time).

    scripts/gen-map.py > big.json
    scripts/gen-map.py --stages 12 --touchpoints 300 --channels 20 --personas 1 --lang ru

Standard library only (Python 3.6+).
"""
import argparse
import json
import random
import sys

STAGES = [
    ("Discover", "Открытие"), ("Research", "Изучение"), ("Compare", "Сравнение"),
    ("Sign up", "Оформление"), ("Switch", "Переход"), ("First bill", "Первый счёт"),
    ("Use", "Использование"), ("Support", "Поддержка"), ("Renew", "Продление"),
    ("Recommend", "Рекомендация"), ("Upgrade", "Улучшение"), ("Leave", "Уход"),
]
CHANNELS = ["website", "app", "email", "social", "messenger", "chatbot", "sms", "search",
            "reviews", "video", "phone", "store", "branch", "event", "print", "direct_mail",
            "word_of_mouth", "courier", "packaging", "invoice", "support", "loyalty"]
VERBS = [("Searches for", "Ищет"), ("Compares", "Сравнивает"), ("Reads about", "Читает про"),
         ("Asks about", "Спрашивает про"), ("Pays for", "Оплачивает"), ("Checks", "Проверяет"),
         ("Chooses", "Выбирает"), ("Sets up", "Настраивает"), ("Tracks", "Отслеживает")]
OBJECTS = [("the price plans", "тарифы"), ("the contract terms", "условия договора"),
           ("the mobile app", "мобильное приложение"), ("the first invoice", "первый счёт"),
           ("the meter reading", "показания счётчика"), ("the switch date", "дату перехода"),
           ("a discount code", "промокод"), ("the support ticket", "обращение в поддержку")]
THOUGHTS = [("Is this really cheaper?", "Это правда дешевле?"),
            ("I hope nothing breaks", "Лишь бы ничего не сломалось"),
            ("That was quick", "Быстро получилось"),
            ("Why do they need this again?", "Зачем им это снова?")]
PAINS = [("The form loses what was typed", "Форма теряет введённое"),
         ("Waits on hold for 20 minutes", "Ждёт на линии 20 минут"),
         ("The tariff table is unreadable", "Таблицу тарифов невозможно прочесть")]
IDEAS = [("Save the form as a draft", "Сохранять форму как черновик"),
         ("Call back instead of hold music", "Перезванивать вместо ожидания"),
         ("One-line price comparison", "Сравнение цены в одну строку")]
PERSONAS = [
    ("anna", "Anna, 34, designer", "Анна, 34, дизайнер",
     "I want it done from my phone in ten minutes, without calling anyone.",
     "Хочу оформить всё с телефона за десять минут и никому не звонить."),
    ("oleg", "Oleg, 61, retired engineer", "Олег, 61, инженер на пенсии",
     "Show me the whole price on one page, then I decide.",
     "Покажите всю цену на одной странице, а я решу."),
    ("mia", "Mia, 22, student", "Мия, 22, студентка", "Cheapest wins.", "Побеждает самое дешёвое."),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stages", type=int, default=6)
    ap.add_argument("--touchpoints", type=int, default=40)
    ap.add_argument("--channels", type=int, default=15)
    ap.add_argument("--personas", type=int, default=2, choices=range(0, len(PERSONAS) + 1))
    ap.add_argument("--lang", choices=["en", "ru"], default="en")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not 1 <= a.stages <= len(STAGES) or a.touchpoints < 0 or \
            not 1 <= a.channels <= len(CHANNELS):
        ap.error("--stages 1..%d, --touchpoints >= 0, --channels 1..%d"
                 % (len(STAGES), len(CHANNELS)))
    ru = a.lang == "ru"
    rnd = random.Random(a.seed)
    t = (lambda pair: pair[1] if ru else pair[0])

    m = {"journeymap": 1, "lang": a.lang,
         "title": "Переход к новому поставщику энергии" if ru
         else "Switching energy supplier",
         "subtitle": "%d touchpoints, %d channels (generated)" % (a.touchpoints, a.channels)
         if not ru else "%d точек контакта, %d каналов (сгенерировано)"
         % (a.touchpoints, a.channels)}
    personas = []
    for i in range(a.personas):
        pid, en, rus, qen, qru = PERSONAS[i]
        personas.append({
            "id": pid, "name": rus if ru else en, "quote": qru if ru else qen,
            "demographics": {"Возраст" if ru else "Age": 34 + 27 * i,
                             "Город" if ru else "City": "Казань" if ru else "Leeds"},
            "psychographics": {"Ценит" if ru else "Values": "время" if ru else "time"},
            "goals": [t(IDEAS[i % len(IDEAS)])], "needs": [t(OBJECTS[i])],
            "frustrations": [t(PAINS[i % len(PAINS)])]})
    if personas:
        m["personas"] = personas
    m["stages"] = [{"id": "s%d" % (s + 1), "name": t(STAGES[s])} for s in range(a.stages)]
    tps = []
    for i in range(a.touchpoints):
        # Touchpoints spread over the stages in time order; every channel gets used.
        stage = i * a.stages // max(a.touchpoints, 1)
        channel = CHANNELS[i % a.channels] if i < a.channels else \
            CHANNELS[rnd.randrange(a.channels)]
        tp = {"id": "t%d" % (i + 1), "stage": "s%d" % (stage + 1), "channel": channel,
              "name": "%s %s" % (t(rnd.choice(VERBS)), t(rnd.choice(OBJECTS)))}
        if personas and len(personas) > 1:
            tp["emotion"] = {p["id"]: rnd.randint(-2, 2) for p in personas}
        else:
            tp["emotion"] = rnd.randint(-2, 2)
        if rnd.random() < 0.5:
            tp["thought"] = t(rnd.choice(THOUGHTS))
        if rnd.random() < 0.3:
            tp["pain"] = t(rnd.choice(PAINS))
        if rnd.random() < 0.25:
            tp["opportunity"] = t(rnd.choice(IDEAS))
        if rnd.random() < 0.15:
            tp["metrics"] = [{"name": "CSAT", "value": rnd.randint(50, 95), "unit": "%"}]
        tps.append(tp)
    m["touchpoints"] = tps
    json.dump(m, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
