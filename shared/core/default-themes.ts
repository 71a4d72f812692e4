/**
 * The themes a new installation starts with (`PUT /v1/themes` replaces them). Each keyword is a
 * word or a phrase, matched on word stems, so one form covers its inflections ("delay" matches
 * "delayed", "доставка" matches "доставку"); a word ending in `*` matches every word that starts
 * with it, for stems the stemmer cuts differently ("доставк*", "deliver*"). Keywords name the
 * topic, not the verdict: "expensive" and "cheap" are both about price, and the score says which.
 */
import type { Theme } from '#shared/core/theme-set';

export const defaultThemes: Theme[] = [
  {
    id: 'delivery',
    name: { en: 'Delivery', ru: 'Доставка' },
    keywords: {
      en: [
        'deliver*', 'shipping', 'shipment', 'ship', 'shipped', 'courier', 'parcel', 'package', 'arrive', 'arrived', 'arrival',
        'late', 'delay', 'dispatch*', 'tracking', 'pick up', 'picked up', 'track', 'on time', 'took weeks', 'took days', 'weeks to', 'days to',
        'postman', 'post office', 'pickup', 'pick up point', 'driver', 'box was', 'came damaged', 'never came', 'never arrived',
        'still waiting for my order', 'order came', 'got here', 'next day', 'dpd', 'fedex', 'dhl',
      ],
      ru: [
        'доставк*', 'достав*', 'доставил*', 'курьер*', 'привез*', 'привоз*', 'посылк*', 'отправк*', 'отправлен*',
        'дошла', 'дошел', 'дошло', 'опоздал*', 'задержк*', 'задержал*', 'трек', 'отслежива*', 'пункт выдачи', 'пвз',
        'почт*', 'сдэк', 'cdek', 'коробк*', 'упаковк*', 'получил заказ', 'ждал заказ', 'ждала заказ', 'ждать заказ', 'заказ ехал',
        'в срок', 'сроки', 'неделю ждал', 'две недели', 'три недели', 'долго ждал', 'долго ждала',
      ],
    },
  },
  {
    id: 'price',
    name: { en: 'Price', ru: 'Цена' },
    keywords: {
      en: [
        'price*', 'pricing', 'expensive', 'overpriced', 'cheap', 'cheaper', 'cost', 'costs', 'costly', 'afford*', 'value for money',
        'worth the money', 'worth it', 'rip off', 'ripoff', 'bucks', 'discount', 'deal', 'bargain', 'budget', 'pricey', 'cheapest', 'free shipping', 'for free', 'value',
        'fee', 'fees', 'subscription price',
      ],
      ru: [
        'цен*', 'дорог*', 'дорож*', 'дешев*', 'дешёв*', 'стоимост*', 'стоит своих денег', 'стоит денег', 'переплат*',
        'скидк*', 'акци*', 'бюджет*', 'прайс', 'ценник*', 'накрут*', 'руб', 'подорожа*', 'бесплатн*', 'того стоит', 'рублей', 'тыщ*', 'кошел*', 'разорит*', 'по карману',
      ],
    },
  },
  {
    id: 'support',
    name: { en: 'Support', ru: 'Поддержка' },
    keywords: {
      en: [
        'support', 'customer service', 'customer care', 'service desk', 'helpdesk', 'help desk', 'hotline', 'call center', 'call centre',
        'ticket', 'chat', 'agent', 'agents', 'on hold', 'hold for', 'get help', 'got help', 'no help',
        'respond', 'response time', 'reply', 'replied', 'answer my', 'answered', 'resolve', 'resolved', 'fixed my issue', 'operator', 'hold music', 'on the phone', 'phone support',
        'complain', 'complaint', 'refund*', 'return',
      ],
      ru: [
        'поддержк*', 'техподдержк*', 'саппорт*', 'служб* поддержки', 'служб* заботы', 'горяч* лини*', 'колл центр', 'колл-центр',
        'кол центр', 'оператор*', 'чат', 'чате', 'тикет*', 'обращени*', 'на линии', 'обратил*', 'ответил*', 'ответили', 'отвечают', 'не ответ*',
        'ответ', 'дозвонит*', 'дозвонил*', 'решил* проблем*', 'решили вопрос', 'помогл*', 'помог', 'помочь', 'вернул* деньги',
        'возврат*', 'жалоб*', 'претензи*',
      ],
    },
  },
  {
    id: 'quality',
    name: { en: 'Product quality', ru: 'Качество товара' },
    keywords: {
      en: [
        'quality', 'broke', 'broken', 'breaks', 'defect*', 'faulty', 'damaged', 'cheaply made', 'flimsy', 'sturdy', 'durable',
        'fell apart', 'falls apart', 'stopped working', 'doesnt work', 'does not work', 'didnt work', 'works great', 'works perfectly',
        'material', 'fabric', 'taste', 'tasted', 'fresh', 'stale', 'expired', 'smell', 'rotten', 'fake', 'product', 'scratch*',
        'crack*', 'tear', 'ripped', 'size', 'fit', 'battery', 'junk', 'garbage', 'trash', 'well made', 'build',
      ],
      ru: [
        'качеств*', 'качествен*', 'сломал*', 'сломан*', 'слома*', 'брак*', 'бракован*', 'дефект*', 'поломк*', 'развалил*', 'порвал*',
        'треснул*', 'трещин*', 'царапин*', 'не работает', 'перестал работать', 'перестала работать', 'работает отлично', 'материал*',
        'ткан*', 'вкус*', 'свеж*', 'несвеж*', 'просроч*', 'запах*', 'воняет', 'подделк*', 'китайск*', 'товар*', 'продукт*', 'вещ*',
        'размер*', 'села', 'батаре*', 'аккумулятор*', 'хлам', 'фигн*', 'барахл*', 'шляп*', 'сделан*',
      ],
    },
  },
  {
    id: 'ease_of_use',
    name: { en: 'Ease of use', ru: 'Удобство' },
    keywords: {
      en: [
        'easy', 'easier', 'easily', 'simple', 'simpler', 'intuitive', 'user friendly', 'user-friendly', 'convenient', 'inconvenient',
        'hassle', 'confus*', 'complicated', 'hard to', 'difficult', 'clunky', 'straightforward', 'usability', 'figure out', 'setup',
        'set up', 'interface', 'ui', 'ux', 'navigate', 'navigation', 'clicks', 'instructions', 'learning curve', 'to use',
      ],
      ru: [
        'удобн*', 'неудобн*', 'удобств*', 'простой', 'проще', 'легко', 'легкий', 'понятн*', 'непонятн*', 'интуитивн*',
        'запута*', 'сложн*', 'сложно', 'трудно', 'разобрат*', 'разобрал*', 'интерфейс*', 'пользоват*', 'навигац*', 'настройк*', 'настроить',
        'инструкци*', 'шагов', 'кликов', 'неочевидн*', 'замороч*', 'заморач*', 'мучени*', 'намучил*',
      ],
    },
  },
  {
    id: 'staff',
    name: { en: 'Staff', ru: 'Персонал' },
    keywords: {
      en: [
        'staff', 'guy', 'lady', 'employee*', 'personnel', 'rude', 'polite', 'friendly', 'unfriendly', 'manager', 'cashier', 'consultant', 'salesman',
        'sales person', 'salesperson', 'sales rep', 'shop assistant', 'waiter', 'waitress', 'guy at', 'girl at', 'lady at', 'team',
        'people there', 'attitude', 'courteous', 'professional', 'unprofessional', 'ignored me', 'yelled', 'smile', 'technician',
        'installer', 'master', 'specialist',
      ],
      ru: [
        'персонал*', 'обслуживани*', 'сотрудник*', 'работник*', 'продав*', 'консультант*', 'менеджер*', 'кассир*', 'официант*', 'администратор*',
        'хам*', 'нахам*', 'груб*', 'вежлив*', 'невежлив*', 'приветлив*', 'дружелюбн*', 'отношени*', 'мастер*', 'специалист*',
        'девушк*', 'парень', 'мужчин*', 'женщин*', 'ребят*', 'коллектив*', 'команд*', 'профессионал*', 'улыб*', 'наорал*', 'игнорир*',
      ],
    },
  },
  {
    id: 'billing',
    name: { en: 'Billing', ru: 'Оплата и счета' },
    keywords: {
      en: [
        'bill', 'billing', 'billed', 'invoice*', 'charge', 'charged', 'charges', 'overcharg*', 'double charged', 'payment*', 'pay',
        'paid', 'card', 'credit card', 'transaction', 'receipt', 'subscription', 'cancel*', 'auto renew*', 'autorenew*', 'renewal',
        'debit*', 'withdrew', 'statement', 'checkout',
      ],
      ru: [
        'счет*', 'счёт*', 'выставил*', 'списал*', 'списани*', 'спиши*', 'списыва*', 'оплат*', 'оплачива*', 'платеж*', 'платёж*',
        'заплатил*', 'карт*', 'чек*', 'квитанци*', 'подписк*', 'автопродлен*', 'продлени*', 'отписат*', 'транзакци*',
        'двойн* списани*', 'дважды', 'выписк*', 'тариф*', 'рассрочк*', 'кэшбэк*',
      ],
    },
  },
  {
    id: 'website_app',
    name: { en: 'Website and app', ru: 'Сайт и приложение' },
    keywords: {
      en: [
        'website', 'web site', 'site', 'app', 'apps', 'application', 'mobile', 'online', 'page', 'login', 'log in', 'logged out',
        'sign in', 'password', 'account', 'crash*', 'bug', 'bugs', 'buggy', 'glitch*', 'freez*', 'froze', 'loading', 'loads', 'slow to load',
        'error', 'update', 'updated', 'android', 'iphone', 'ios', 'browser', 'search', 'filter', 'button', 'cart', 'basket',
      ],
      ru: [
        'сайт*', 'приложени*', 'приложух*', 'прилож*', 'апп', 'мобильн*', 'онлайн', 'страниц*', 'личн* кабинет*', 'кабинет*', 'логин*',
        'пароль', 'парол*', 'войти', 'вход*', 'аккаунт*', 'вылета*', 'вылетел*', 'глюч*', 'глюк*', 'баг*', 'завис*', 'виснет', 'тормоз*',
        'грузит*', 'загруз*', 'ошибк*', 'обновлени*', 'андроид*', 'айфон*', 'браузер*', 'поиск*', 'фильтр*', 'кнопк*', 'корзин*',
      ],
    },
  },
  {
    id: 'communication',
    name: { en: 'Communication', ru: 'Информирование' },
    keywords: {
      en: [
        'communicat*', 'email', 'emails', 'e-mail', 'sms', 'text message', 'texts', 'notification*', 'notif*', 'newsletter', 'spam',
        'spamming', 'inform*', 'updates about', 'kept me updated', 'kept me informed', 'keep me posted', 'heads up', 'no one told',
        'nobody told', 'told me', 'let me know', 'contact me', 'contacted me', 'called me', 'calls', 'follow up', 'followup', 'status',
        'transparen*', 'message', 'messages', 'unsubscribe', 'promised',
      ],
      ru: [
        'коммуникац*', 'письм*', 'рассылк*', 'смс', 'sms', 'сообщени*', 'уведомлени*', 'оповещ*', 'спам*', 'информир*', 'информаци*',
        'предупред*', 'не предупредил*', 'сообщил*', 'сообщат', 'держали в курсе', 'в курсе', 'никто не сказал', 'сказали', 'звонил*',
        'звонк*', 'названива*', 'перезвон*', 'позвонил*', 'связал*', 'связь', 'статус*', 'обещал*', 'отписк*', 'молчат', 'тишина',
      ],
    },
  },
];
