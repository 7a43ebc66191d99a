/* The built-in channel catalogue: every kind of touchpoint the seed articles name. A model may
 * use these ids without declaring them; `aliases` accept common spellings. */
#include <string.h>

#include "channels.h"
#include "model.h"

static const jm_builtin_channel catalogue[] = {
    /* online */
    {"website", "Website", "Сайт", JM_KIND_ONLINE, "website", "web site homepage landing"},
    {"app", "Mobile app", "Мобильное приложение", JM_KIND_ONLINE, "app",
     "mobile mobile_app mobileapp application"},
    {"email", "E-mail", "Эл. почта", JM_KIND_ONLINE, "email", "e-mail mail newsletter"},
    {"social", "Social media", "Соцсети", JM_KIND_ONLINE, "social",
     "social_media socialmedia social_networks"},
    {"messenger", "Messenger", "Мессенджер", JM_KIND_ONLINE, "messenger",
     "chat messengers whatsapp telegram"},
    {"chatbot", "Chatbot", "Чат-бот", JM_KIND_ONLINE, "chatbot", "bot"},
    {"sms", "SMS", "SMS", JM_KIND_ONLINE, "sms", "text_message push"},
    {"online_ads", "Online ads", "Онлайн-реклама", JM_KIND_ONLINE, "online_ads",
     "ads ad banner display_ads ppc"},
    {"search", "Search", "Поиск", JM_KIND_ONLINE, "search", "seo search_engine google yandex"},
    {"blog", "Blog", "Блог", JM_KIND_ONLINE, "blog", "articles content"},
    {"reviews", "Reviews", "Отзывы", JM_KIND_ONLINE, "reviews", "review ratings forum"},
    {"video", "Online video", "Видео", JM_KIND_ONLINE, "video", "youtube webinar"},
    /* offline */
    {"phone", "Call centre", "Колл-центр", JM_KIND_OFFLINE, "phone",
     "call_center call_centre callcenter hotline telephone"},
    {"store", "Store", "Магазин", JM_KIND_OFFLINE, "store", "shop retail point_of_sale pos"},
    {"branch", "Branch / office", "Отделение", JM_KIND_OFFLINE, "branch", "office bank_branch"},
    {"atm", "ATM / kiosk", "Банкомат", JM_KIND_OFFLINE, "atm", "kiosk terminal"},
    {"event", "Event", "Мероприятие", JM_KIND_OFFLINE, "event", "events conference meetup"},
    {"exhibition", "Exhibition stand", "Выставочный стенд", JM_KIND_OFFLINE, "exhibition",
     "expo trade_show stand booth"},
    {"mall", "Shopping mall", "Торговый центр", JM_KIND_OFFLINE, "mall",
     "shopping_mall shopping_center"},
    {"tv", "TV", "ТВ", JM_KIND_OFFLINE, "tv", "television tv_ads"},
    {"radio", "Radio", "Радио", JM_KIND_OFFLINE, "radio", "radio_ads"},
    {"outdoor", "Outdoor ads", "Наружная реклама", JM_KIND_OFFLINE, "outdoor",
     "billboard ooh outdoor_ads"},
    {"print", "Print", "Печатные СМИ", JM_KIND_OFFLINE, "print", "press magazine newspaper flyer"},
    {"direct_mail", "Direct mail", "Почтовая рассылка", JM_KIND_OFFLINE, "direct_mail",
     "post letter mailing"},
    {"word_of_mouth", "Word of mouth", "Сарафанное радио", JM_KIND_OFFLINE, "word_of_mouth",
     "wom referral friends recommendation"},
    {"courier", "Courier / delivery", "Доставка", JM_KIND_OFFLINE, "delivery", "delivery shipping"},
    {"staff", "Staff", "Персонал", JM_KIND_OFFLINE, "staff",
     "employee consultant manager sales_rep"},
    /* the product itself */
    {"packaging", "Packaging", "Упаковка", JM_KIND_PRODUCT, "packaging", "package box unboxing"},
    {"label", "Label", "Этикетка", JM_KIND_PRODUCT, "label", "labels tag"},
    {"manual", "Instructions", "Инструкция", JM_KIND_PRODUCT, "manual",
     "instructions guide documentation"},
    {"product_ui", "Product UI", "Интерфейс продукта", JM_KIND_PRODUCT, "product_ui",
     "ui interface product"},
    {"loyalty", "Loyalty programme", "Программа лояльности", JM_KIND_PRODUCT, "loyalty",
     "loyalty_program bonus card"},
    {"support", "Support", "Поддержка", JM_KIND_PRODUCT, "support", "helpdesk service_desk help"},
    {"invoice", "Invoice / receipt", "Счёт / чек", JM_KIND_PRODUCT, "invoice",
     "receipt bill statement"},
};

const jm_builtin_channel *jm_builtin_channels(size_t *n)
{
    *n = sizeof catalogue / sizeof catalogue[0];
    return catalogue;
}

static bool alias_match(const char *aliases, const char *id)
{
    size_t len = strlen(id);
    for (const char *p = aliases; *p;) {
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, id, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

const jm_builtin_channel *jm_builtin_channel_find(const char *id)
{
    size_t n;
    const jm_builtin_channel *c = jm_builtin_channels(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].id, id) == 0)
            return &c[i];
    for (size_t i = 0; i < n; i++)
        if (alias_match(c[i].aliases, id))
            return &c[i];
    return NULL;
}
