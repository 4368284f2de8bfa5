/**
 * The demo help centre of "Webwinkel De Hoorn": categories and published articles in Dutch and
 * English, so the Kennisbank page, the desk's suggestions, the bot's knowledge node and the public
 * help centre at /help/demo have something real to show. Safe to run twice.
 */
import { count, eq } from 'drizzle-orm';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { knowledgeCategories } from '../knowledge/knowledge.schema.ts';
import { insertArticle, insertCategory, setTranslationStatus, upsertTranslation } from '../knowledge/knowledge.store.ts';
import { slugify } from '../knowledge/knowledge.ts';

interface DemoText {
  title: string;
  body: string;
}
interface DemoArticle {
  category: string;
  tags: string[];
  nl: DemoText;
  en: DemoText;
}

export const DEMO_CATEGORIES = [
  { slug: 'bestellen', nameNl: 'Bestellen', nameEn: 'Ordering' },
  { slug: 'bezorging', nameNl: 'Bezorging', nameEn: 'Delivery' },
  { slug: 'retourneren', nameNl: 'Retourneren en ruilen', nameEn: 'Returns and exchanges' },
  { slug: 'betalen', nameNl: 'Betalen', nameEn: 'Payment' },
  { slug: 'account', nameNl: 'Mijn account', nameEn: 'My account' },
  { slug: 'service', nameNl: 'Klantenservice en garantie', nameEn: 'Customer service and warranty' },
];

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    category: 'bestellen',
    tags: ['bestellen'],
    nl: {
      title: 'Hoe plaats ik een bestelling?',
      body: `Bestellen bij Webwinkel De Hoorn gaat in vier stappen:

1. Leg de artikelen die je wilt hebben in je **winkelmandje**.
2. Klik op **Afrekenen** en log in, of bestel als gast.
3. Kies hoe je het wilt ontvangen: thuisbezorgd of bij een afhaalpunt.
4. Betaal met iDEAL, creditcard, PayPal of achteraf.

Na het betalen krijg je binnen een paar minuten een orderbevestiging per e-mail. Daarin staan je ordernummer en de verwachte bezorgdatum.`,
    },
    en: {
      title: 'How do I place an order?',
      body: `Ordering from Webwinkel De Hoorn takes four steps:

1. Put the items you want in your **basket**.
2. Click **Checkout** and log in, or order as a guest.
3. Choose how you want to receive it: home delivery or a pick-up point.
4. Pay with iDEAL, credit card, PayPal or pay later.

Within a few minutes of paying you receive an order confirmation by e-mail, with your order number and the expected delivery date.`,
    },
  },
  {
    category: 'bestellen',
    tags: ['bestellen', 'annuleren'],
    nl: {
      title: 'Bestelling wijzigen of annuleren',
      body: `Zolang je bestelling nog niet is ingepakt, kun je haar wijzigen of annuleren. Ga naar **Mijn account > Bestellingen** en kies **Wijzigen** of **Annuleren**. Dat kan meestal tot 22:00 uur op de dag van bestellen.

Staat de knop er niet meer? Dan is je pakket al onderweg. Je kunt het dan niet meer tegenhouden, maar wel gratis retourneren binnen 30 dagen nadat je het hebt ontvangen.

Het bedrag van een geannuleerde bestelling staat binnen 3 werkdagen weer op je rekening.`,
    },
    en: {
      title: 'Changing or cancelling an order',
      body: `As long as your order has not been packed, you can change or cancel it. Go to **My account > Orders** and choose **Change** or **Cancel**. This is usually possible until 22:00 on the day you ordered.

Is the button gone? Then your parcel is already on its way. You can no longer stop it, but you can return it free of charge within 30 days of receiving it.

The amount of a cancelled order is back in your account within 3 working days.`,
    },
  },
  {
    category: 'bestellen',
    tags: ['bestellen', 'e-mail'],
    nl: {
      title: 'Ik heb geen orderbevestiging ontvangen',
      body: `De orderbevestiging komt meestal binnen vijf minuten. Niets ontvangen?

- Kijk in de map **spam** of **reclame** van je mailbox.
- Controleer in **Mijn account > Bestellingen** of de bestelling erbij staat. Staat ze er, dan is ze gelukt.
- Staat ze er niet, dan is de betaling waarschijnlijk niet afgerond. Er is dan ook niets afgeschreven.

Heb je als gast besteld en een typfout gemaakt in je e-mailadres? Neem dan contact met ons op met je naam en het bedrag; we zoeken de bestelling voor je op.`,
    },
    en: {
      title: 'I did not receive an order confirmation',
      body: `The order confirmation usually arrives within five minutes. Nothing yet?

- Look in the **spam** or **junk** folder of your mailbox.
- Check **My account > Orders** to see whether the order is there. If it is, the order went through.
- If it is not, the payment was probably not completed, and nothing has been charged.

Did you order as a guest and mistype your e-mail address? Contact us with your name and the amount; we will look up the order for you.`,
    },
  },
  {
    category: 'bestellen',
    tags: ['bestellen', 'voorraad'],
    nl: {
      title: 'Is een product op voorraad?',
      body: `Op elke productpagina zie je de voorraad:

- **Op voorraad**: voor 22:00 uur besteld, morgen in huis.
- **Nog enkele stuks**: bestel snel, de voorraad is bijna op.
- **Tijdelijk uitverkocht**: klik op **Houd me op de hoogte** en je krijgt een e-mail zodra het product terug is.

Producten die uit de leverancierscollectie komen, hebben een levertijd van 3 tot 5 werkdagen. Dat staat dan bij het product vermeld.`,
    },
    en: {
      title: 'Is a product in stock?',
      body: `Every product page shows the stock:

- **In stock**: order before 22:00 and it arrives tomorrow.
- **Only a few left**: order soon, stock is almost gone.
- **Temporarily sold out**: click **Notify me** and you get an e-mail as soon as the product is back.

Products that come from our supplier's range have a delivery time of 3 to 5 working days. The product page says so.`,
    },
  },
  {
    category: 'bezorging',
    tags: ['bezorging', 'verzendkosten'],
    nl: {
      title: 'Bezorgtijden en verzendkosten',
      body: `In Nederland duurt de bezorging één werkdag: bestel je op een werkdag voor 22:00 uur, dan bezorgen we je pakket de volgende dag tussen 9:00 en 21:00 uur. Op zaterdag bezorgen we ook; op zondag niet.

**Verzendkosten in Nederland**

- Bestellingen vanaf € 25: gratis verzending.
- Bestellingen onder € 25: € 3,95.
- Avondlevering of een gekozen dag: € 1,95 extra.

Grote artikelen zoals meubels worden door een bezorgdienst met twee personen gebracht. Die bellen je een dag van tevoren met een tijdvak.`,
    },
    en: {
      title: 'Delivery times and shipping costs',
      body: `In the Netherlands delivery takes one working day: if you order on a working day before 22:00, we deliver your parcel the next day between 9:00 and 21:00. We deliver on Saturdays too, but not on Sundays.

**Shipping costs in the Netherlands**

- Orders from € 25: free shipping.
- Orders under € 25: € 3.95.
- Evening delivery or a chosen day: € 1.95 extra.

Large items such as furniture are brought by a two-person delivery service, who call you the day before with a time slot.`,
    },
  },
  {
    category: 'bezorging',
    tags: ['bezorging', 'track-and-trace'],
    nl: {
      title: 'Waar is mijn pakket? Track & trace',
      body: `Zodra je pakket is verzonden, sturen we je een e-mail met een **track & trace-code**. Met die code volg je het pakket op de site van de vervoerder. Je vindt de code ook bij je bestelling in **Mijn account**.

De status wordt een paar keer per dag bijgewerkt. Staat er de hele dag "aangemeld" en nog geen "onderweg"? Dan is het pakket nog niet gescand; dat komt meestal 's avonds goed.

Is je pakket twee werkdagen na de verwachte datum nog niet bezorgd? Neem dan contact met ons op, dan zoeken we het uit met de vervoerder.`,
    },
    en: {
      title: 'Where is my parcel? Tracking',
      body: `As soon as your parcel has been shipped, we send you an e-mail with a **tracking code**. With that code you follow the parcel on the carrier's website. You can also find the code with your order in **My account**.

The status is updated a few times a day. Does it say "registered" all day and not yet "on its way"? Then the parcel has not been scanned yet; that is usually sorted out in the evening.

Has your parcel still not arrived two working days after the expected date? Contact us and we will sort it out with the carrier.`,
    },
  },
  {
    category: 'bezorging',
    tags: ['bezorging', 'buitenland'],
    nl: {
      title: 'Bezorgen in België en Duitsland',
      body: `We bezorgen ook in België en Duitsland. De bezorging duurt daar 2 tot 3 werkdagen.

- **België**: gratis vanaf € 50, anders € 5,95.
- **Duitsland**: gratis vanaf € 75, anders € 7,95.

Naar andere landen versturen we (nog) niet. Retourneren vanuit België en Duitsland kan gewoon, via een retourlabel dat je in je account aanmaakt.`,
    },
    en: {
      title: 'Delivery to Belgium and Germany',
      body: `We also deliver to Belgium and Germany. Delivery there takes 2 to 3 working days.

- **Belgium**: free from € 50, otherwise € 5.95.
- **Germany**: free from € 75, otherwise € 7.95.

We do not ship to other countries (yet). Returning from Belgium and Germany works as usual, with a return label you create in your account.`,
    },
  },
  {
    category: 'bezorging',
    tags: ['bezorging', 'schade'],
    nl: {
      title: 'Pakket beschadigd of niet ontvangen',
      body: `Is je pakket beschadigd aangekomen? Maak foto's van de doos en van het product en stuur ze ons binnen 7 dagen via het contactformulier, met je ordernummer. We sturen dan kosteloos een nieuw exemplaar of betalen je het bedrag terug; je hoeft het beschadigde product niet eerst terug te sturen.

Staat je pakket volgens track & trace als bezorgd, maar heb je het niet? Vraag eerst even bij de buren en kijk of er een kaartje in de brievenbus zit. Geen pakket gevonden? Meld het ons binnen 14 dagen, dan starten we een onderzoek bij de vervoerder.`,
    },
    en: {
      title: 'Parcel damaged or not received',
      body: `Did your parcel arrive damaged? Take photos of the box and the product and send them to us within 7 days through the contact form, with your order number. We then send a replacement free of charge or refund the amount; you do not have to send the damaged product back first.

Does tracking say your parcel was delivered, but you do not have it? First ask your neighbours and check your letterbox for a card. Still no parcel? Tell us within 14 days and we will start an investigation with the carrier.`,
    },
  },
  {
    category: 'bezorging',
    tags: ['bezorging', 'afhaalpunt'],
    nl: {
      title: 'Ophalen bij een afhaalpunt',
      body: `Niet thuis overdag? Kies bij het afrekenen een **afhaalpunt** bij jou in de buurt, zoals een supermarkt of boekhandel. Dat is altijd gratis.

Je krijgt een e-mail zodra het pakket klaarligt. Neem bij het ophalen een geldig legitimatiebewijs en de ophaalcode uit de e-mail mee. Het pakket blijft 7 dagen liggen; daarna gaat het terug naar ons en betalen we je het bedrag terug.`,
    },
    en: {
      title: 'Collecting from a pick-up point',
      body: `Not at home during the day? At checkout, choose a **pick-up point** near you, such as a supermarket or bookshop. This is always free.

You get an e-mail as soon as the parcel is ready. Bring valid ID and the collection code from the e-mail. The parcel is kept for 7 days; after that it comes back to us and we refund the amount.`,
    },
  },
  {
    category: 'retourneren',
    tags: ['retour'],
    nl: {
      title: 'Hoe retourneer ik een artikel?',
      body: `Je hebt **30 dagen bedenktijd**, gerekend vanaf de dag dat je het pakket ontvangt. Retourneren is gratis.

1. Ga naar **Mijn account > Bestellingen** en klik op **Retourneren**.
2. Kies de artikelen en de reden van je retour.
3. Print het retourlabel, of laat de QR-code scannen bij het servicepunt.
4. Breng het pakket binnen 14 dagen naar een servicepunt.

Heb je als gast besteld? Gebruik dan het retourformulier op onze site met je ordernummer en e-mailadres.`,
    },
    en: {
      title: 'How do I return an item?',
      body: `You have **30 days to change your mind**, counted from the day you receive the parcel. Returning is free.

1. Go to **My account > Orders** and click **Return**.
2. Choose the items and the reason for returning them.
3. Print the return label, or have the QR code scanned at the service point.
4. Take the parcel to a service point within 14 days.

Did you order as a guest? Then use the return form on our site with your order number and e-mail address.`,
    },
  },
  {
    category: 'retourneren',
    tags: ['retour', 'terugbetaling'],
    nl: {
      title: 'Wanneer krijg ik mijn geld terug?',
      body: `Zodra je retour bij ons binnen is, controleren we het artikel. Dat duurt meestal 2 werkdagen. Daarna betalen we het bedrag terug op dezelfde manier als je hebt betaald:

- **iDEAL en creditcard**: binnen 5 werkdagen op je rekening.
- **PayPal**: binnen 1 werkdag.
- **Achteraf betalen**: de openstaande factuur wordt aangepast; je hoeft het geretourneerde deel niet meer te betalen.

Je krijgt een e-mail zodra de terugbetaling is gedaan.`,
    },
    en: {
      title: 'When do I get my money back?',
      body: `As soon as your return reaches us, we check the item. This usually takes 2 working days. We then refund the amount in the same way you paid:

- **iDEAL and credit card**: in your account within 5 working days.
- **PayPal**: within 1 working day.
- **Pay later**: the open invoice is adjusted; you no longer have to pay for the returned part.

You get an e-mail as soon as the refund has been made.`,
    },
  },
  {
    category: 'retourneren',
    tags: ['retour', 'ruilen'],
    nl: {
      title: 'Ruilen voor een andere maat of kleur',
      body: `Past het niet of viel de kleur tegen? Ruilen doe je in twee stappen: retourneer het artikel zoals gewoonlijk en plaats een nieuwe bestelling voor de maat of kleur die je wilt. Zo heb je het nieuwe artikel het snelst in huis en loop je niet het risico dat het intussen is uitverkocht.

Het bedrag van je retour betalen we terug zodra het bij ons binnen is.`,
    },
    en: {
      title: 'Exchanging for another size or colour',
      body: `Does it not fit, or is the colour disappointing? Exchanging takes two steps: return the item as usual and place a new order for the size or colour you want. That way the new item reaches you fastest and you do not risk it selling out in the meantime.

We refund the amount of your return as soon as it reaches us.`,
    },
  },
  {
    category: 'retourneren',
    tags: ['retour'],
    nl: {
      title: 'Wat kan ik niet retourneren?',
      body: `Een paar soorten artikelen kunnen om hygiënische redenen of omdat ze op maat zijn gemaakt niet retour:

- Ondergoed en badkleding waarvan de verzegeling is verbroken.
- Verzorgingsproducten en cosmetica die zijn geopend.
- Artikelen met een persoonlijke tekst of gravure.
- Cadeaubonnen en digitale downloads.

Is zo'n artikel kapot of anders dan besteld? Dan geldt gewoon de garantie; neem contact met ons op.`,
    },
    en: {
      title: 'What cannot be returned?',
      body: `A few kinds of items cannot be returned for hygiene reasons or because they were made to order:

- Underwear and swimwear whose seal has been broken.
- Personal care products and cosmetics that have been opened.
- Items with a personal text or engraving.
- Gift cards and digital downloads.

Is such an item broken or different from what you ordered? Then the warranty applies as usual; contact us.`,
    },
  },
  {
    category: 'betalen',
    tags: ['betalen'],
    nl: {
      title: 'Welke betaalmethoden kan ik gebruiken?',
      body: `Je kunt bij ons betalen met:

- **iDEAL** (alle Nederlandse banken)
- **Bancontact** (België)
- **Creditcard**: Visa, Mastercard en American Express
- **PayPal**
- **Achteraf betalen** via Riverty, binnen 30 dagen
- **Cadeaubon** van Webwinkel De Hoorn

Betalen kost nooit extra. Alle betalingen lopen via een beveiligde verbinding; wij zien je kaartgegevens niet.`,
    },
    en: {
      title: 'Which payment methods can I use?',
      body: `You can pay us with:

- **iDEAL** (all Dutch banks)
- **Bancontact** (Belgium)
- **Credit card**: Visa, Mastercard and American Express
- **PayPal**
- **Pay later** through Riverty, within 30 days
- **Gift card** from Webwinkel De Hoorn

Paying never costs extra. All payments go through a secure connection; we never see your card details.`,
    },
  },
  {
    category: 'betalen',
    tags: ['betalen', 'achteraf'],
    nl: {
      title: 'Achteraf betalen',
      body: `Met achteraf betalen ontvang je eerst je bestelling en betaal je binnen **30 dagen**. Dit regelen we via Riverty. Je krijgt de factuur per e-mail van Riverty, niet van ons.

Achteraf betalen kan voor bestellingen tot € 1.000, als je 18 jaar of ouder bent en op een adres in Nederland of België woont. Riverty doet een korte controle; soms wordt achteraf betalen daardoor niet aangeboden. Kies dan een andere betaalmethode.

Stuur je iets terug, dan past Riverty de factuur automatisch aan.`,
    },
    en: {
      title: 'Pay later',
      body: `With pay later you receive your order first and pay within **30 days**. We arrange this through Riverty. You receive the invoice by e-mail from Riverty, not from us.

Pay later is available for orders up to € 1,000, if you are 18 or older and live at an address in the Netherlands or Belgium. Riverty runs a short check; sometimes pay later is not offered as a result. Then choose another payment method.

If you send something back, Riverty adjusts the invoice automatically.`,
    },
  },
  {
    category: 'betalen',
    tags: ['betalen'],
    nl: {
      title: 'Mijn betaling is mislukt',
      body: `Is de betaling mislukt of afgebroken? Dan is de bestelling niet doorgegaan en is er niets afgeschreven. Je winkelmandje bewaren we 7 dagen, dus je kunt het zo opnieuw proberen.

Wel afgeschreven, maar geen bevestiging? Soms duurt het bij de bank even. Wacht een uur en kijk in **Mijn account > Bestellingen**. Staat de bestelling er dan nog niet, dan storten we het bedrag binnen 3 werkdagen automatisch terug.`,
    },
    en: {
      title: 'My payment failed',
      body: `Did the payment fail or get cancelled? Then the order did not go through and nothing was charged. We keep your basket for 7 days, so you can simply try again.

Charged, but no confirmation? Sometimes the bank takes a while. Wait an hour and check **My account > Orders**. If the order is still not there, we refund the amount automatically within 3 working days.`,
    },
  },
  {
    category: 'betalen',
    tags: ['betalen', 'factuur'],
    nl: {
      title: 'Factuur en btw',
      body: `Bij elke bestelling hoort een factuur met btw. Je downloadt die als pdf bij de bestelling in **Mijn account > Bestellingen**.

Bestel je zakelijk? Vul bij het afrekenen je bedrijfsnaam en btw-nummer in; die komen dan op de factuur. Een factuur achteraf op een andere naam zetten kan binnen 30 dagen na de bestelling, via ons contactformulier.`,
    },
    en: {
      title: 'Invoice and VAT',
      body: `Every order comes with an invoice including VAT. You can download it as a PDF with the order in **My account > Orders**.

Ordering for a business? Enter your company name and VAT number at checkout and they will be on the invoice. Changing the name on an invoice afterwards is possible within 30 days of the order, through our contact form.`,
    },
  },
  {
    category: 'betalen',
    tags: ['betalen', 'korting'],
    nl: {
      title: 'Cadeaubonnen en kortingscodes',
      body: `Een **cadeaubon** of **kortingscode** vul je in bij het afrekenen, in het veld "Code toevoegen". Het bedrag wordt direct van je totaal afgetrokken.

- Een cadeaubon is 2 jaar geldig en je kunt hem in delen gebruiken; het restant blijft staan.
- Per bestelling kun je één kortingscode gebruiken.
- Kortingscodes gelden niet voor cadeaubonnen en verzendkosten.

Werkt je code niet? Controleer de einddatum en de voorwaarden in de e-mail waarin je de code kreeg.`,
    },
    en: {
      title: 'Gift cards and discount codes',
      body: `Enter a **gift card** or **discount code** at checkout, in the "Add code" field. The amount is deducted from your total straight away.

- A gift card is valid for 2 years and can be used in parts; the balance remains.
- You can use one discount code per order.
- Discount codes do not apply to gift cards and shipping costs.

Does your code not work? Check the end date and the conditions in the e-mail in which you received it.`,
    },
  },
  {
    category: 'account',
    tags: ['account'],
    nl: {
      title: 'Een account aanmaken',
      body: `Met een account zie je al je bestellingen, retourneer je met een paar klikken en bestel je sneller. Een account aanmaken doe je via **Inloggen > Account aanmaken**, of tijdens het afrekenen.

Je hebt alleen een e-mailadres en een wachtwoord nodig. Na het aanmaken krijg je een e-mail om je adres te bevestigen. Eerdere gastbestellingen met hetzelfde e-mailadres verschijnen daarna automatisch in je account.`,
    },
    en: {
      title: 'Creating an account',
      body: `With an account you see all your orders, return items in a few clicks and order faster. Create an account through **Log in > Create account**, or during checkout.

All you need is an e-mail address and a password. After creating it you receive an e-mail to confirm your address. Earlier guest orders with the same e-mail address then appear in your account automatically.`,
    },
  },
  {
    category: 'account',
    tags: ['account', 'wachtwoord'],
    nl: {
      title: 'Wachtwoord vergeten',
      body: `Klik bij **Inloggen** op **Wachtwoord vergeten** en vul je e-mailadres in. Je krijgt dan een e-mail met een link om een nieuw wachtwoord te kiezen. De link is 1 uur geldig.

Geen e-mail ontvangen? Kijk in je spammap en controleer of je het e-mailadres gebruikt waarmee je je account hebt aangemaakt. Wij vragen je nooit om je wachtwoord, ook niet via de telefoon of chat.`,
    },
    en: {
      title: 'Forgotten password',
      body: `Under **Log in**, click **Forgotten password** and enter your e-mail address. You then receive an e-mail with a link to choose a new password. The link is valid for 1 hour.

No e-mail? Check your spam folder and make sure you use the e-mail address you created your account with. We never ask for your password, not by phone or chat either.`,
    },
  },
  {
    category: 'account',
    tags: ['account', 'privacy'],
    nl: {
      title: 'Gegevens wijzigen of account verwijderen',
      body: `Je naam, adressen en telefoonnummer wijzig je zelf in **Mijn account > Gegevens**. Een nieuw e-mailadres moet je bevestigen via een link die we naar dat adres sturen.

Wil je je account laten verwijderen? Dat kan via **Mijn account > Privacy > Account verwijderen**. We wissen dan je persoonsgegevens binnen 30 dagen. Facturen moeten we wettelijk 7 jaar bewaren; die worden daarna verwijderd. Je kunt ook een kopie opvragen van alle gegevens die we van je hebben.`,
    },
    en: {
      title: 'Changing your details or deleting your account',
      body: `You change your name, addresses and phone number yourself in **My account > Details**. A new e-mail address has to be confirmed through a link we send to that address.

Want your account deleted? Go to **My account > Privacy > Delete account**. We then erase your personal data within 30 days. By law we have to keep invoices for 7 years; they are deleted after that. You can also request a copy of all the data we hold about you.`,
    },
  },
  {
    category: 'account',
    tags: ['account', 'nieuwsbrief'],
    nl: {
      title: 'Afmelden voor de nieuwsbrief',
      body: `Onder aan elke nieuwsbrief staat een link **Afmelden**. Eén klik is genoeg; binnen 2 dagen krijg je geen nieuwsbrieven meer.

Heb je een account, dan kun je in **Mijn account > Voorkeuren** ook kiezen welke e-mails je wél wilt ontvangen, bijvoorbeeld alleen aanbiedingen of alleen nieuwe collecties. E-mails over je bestellingen en retouren blijf je altijd ontvangen.`,
    },
    en: {
      title: 'Unsubscribing from the newsletter',
      body: `At the bottom of every newsletter there is an **Unsubscribe** link. One click is enough; within 2 days you will no longer receive newsletters.

If you have an account, you can also choose in **My account > Preferences** which e-mails you do want, for example only offers or only new collections. You always keep receiving e-mails about your orders and returns.`,
    },
  },
  {
    category: 'service',
    tags: ['klantcontact'],
    nl: {
      title: 'Klantcontact: zo bereik je ons',
      body: `Onze klantenservice helpt je graag. Je bereikt ons op deze manieren:

- **Chat** op de site: maandag tot en met zaterdag van 8:00 tot 22:00 uur.
- **WhatsApp**: 06 12 34 56 78, dezelfde tijden.
- **E-mail**: klantenservice@demo.hoorn.nl; we antwoorden binnen 1 werkdag.
- **Telefoon**: 020 123 45 67, op werkdagen van 9:00 tot 18:00 uur.

Houd je ordernummer bij de hand, dan kunnen we je het snelst helpen. Buiten openingstijden helpt onze chatbot je met de meest gestelde vragen.`,
    },
    en: {
      title: 'Customer contact: how to reach us',
      body: `Our customer service is happy to help. You can reach us in these ways:

- **Chat** on the site: Monday to Saturday from 8:00 to 22:00.
- **WhatsApp**: +31 6 12 34 56 78, same hours.
- **E-mail**: klantenservice@demo.hoorn.nl; we answer within 1 working day.
- **Phone**: +31 20 123 45 67, on working days from 9:00 to 18:00.

Keep your order number at hand so we can help you fastest. Outside opening hours our chatbot helps you with the most frequently asked questions.`,
    },
  },
  {
    category: 'service',
    tags: ['garantie', 'reparatie'],
    nl: {
      title: 'Garantie en reparatie',
      body: `Op alle producten krijg je minimaal **2 jaar garantie**. Gaat er binnen die tijd iets kapot door normaal gebruik, dan repareren of vervangen we het gratis, of krijg je je geld terug.

Zo meld je een defect:

1. Ga naar **Mijn account > Bestellingen** en klik bij het product op **Probleem melden**.
2. Beschrijf wat er mis is en voeg een foto of kort filmpje toe.
3. Je krijgt binnen 2 werkdagen een oplossing of een gratis verzendlabel.

Schade door een val, water of eigen reparaties valt niet onder de garantie. Na de garantietermijn kun je nog bij ons terecht voor een betaalde reparatie.`,
    },
    en: {
      title: 'Warranty and repairs',
      body: `All products come with at least a **2-year warranty**. If something breaks within that time through normal use, we repair or replace it free of charge, or refund your money.

How to report a defect:

1. Go to **My account > Orders** and click **Report a problem** next to the product.
2. Describe what is wrong and add a photo or short video.
3. Within 2 working days you receive a solution or a free shipping label.

Damage from a fall, water or your own repairs is not covered by the warranty. After the warranty period you can still come to us for a paid repair.`,
    },
  },
  {
    category: 'service',
    tags: ['klacht'],
    nl: {
      title: 'Een klacht indienen',
      body: `Ben je niet tevreden over een product of over onze service? Dat horen we graag, zodat we het kunnen oplossen. Stuur je klacht via het contactformulier of per e-mail, met je ordernummer en wat je van ons verwacht.

We bevestigen je klacht binnen 1 werkdag en sturen binnen 14 dagen een inhoudelijk antwoord. Komen we er samen niet uit, dan kun je je klacht voorleggen aan de Geschillencommissie Thuiswinkel.`,
    },
    en: {
      title: 'Making a complaint',
      body: `Not happy with a product or our service? We would like to hear about it so we can put it right. Send your complaint through the contact form or by e-mail, with your order number and what you expect from us.

We confirm your complaint within 1 working day and send a full answer within 14 days. If we cannot resolve it together, you can take your complaint to the Thuiswinkel disputes committee.`,
    },
  },
];

/** Adds the demo categories and articles (both languages, published) once; a second run does nothing. */
export async function seedDemoKnowledge(p: Platform, workspaceId: string): Promise<{ categories: number; articles: number }> {
  const [{ n }] = (await p.db.select({ n: count() }).from(knowledgeCategories).where(eq(knowledgeCategories.workspaceId, workspaceId))) as [{ n: number }];
  if (Number(n) > 0) return { categories: 0, articles: 0 };
  const now = p.clock.now();
  return inTransaction(p, async (tx) => {
    const ids = new Map<string, string>();
    for (const [position, c] of DEMO_CATEGORIES.entries()) {
      const row = await insertCategory(tx, workspaceId, { ...c, position }, now);
      if (row) ids.set(c.slug, row.id);
    }
    for (const a of DEMO_ARTICLES) {
      const article = await insertArticle(tx, workspaceId, { categoryId: ids.get(a.category) ?? null, tags: a.tags }, now);
      for (const language of ['nl', 'en'] as const) {
        const text = a[language];
        await upsertTranslation(tx, workspaceId, article.id, language, { title: text.title, slug: slugify(text.title), body: text.body }, now);
        await setTranslationStatus(tx, workspaceId, article.id, language, 'published', now);
      }
    }
    await appendEvent(tx, { workspaceId, type: 'knowledge.demo_seeded', subjectType: 'workspace', subjectId: workspaceId, payload: { articles: DEMO_ARTICLES.length }, actorId: 'system:seed' });
    return { categories: ids.size, articles: DEMO_ARTICLES.length };
  });
}
