"""What the agent says to leads, as data: one table per voice (Spanish tú, Spanish usted,
English), looked up by key and formatted with `str.format` names.

Usted is the whole message (le, su, puede), never a tú word inside it; a key missing from a
voice falls back to its language's shared table ("es"), which holds only sentences that
address nobody ("Tiene 2.5 baños."). First messages have several variants per voice, picked per
conversation (`variant`), so two leads comparing messages do not read the same paragraph.
"""

from __future__ import annotations

import re
from typing import Literal

Voice = Literal["es-tu", "es-usted", "en"]

TEMPLATES: dict[str, dict[str, str]] = {
    "es": {
        "hello": "Hola, {name}",
        "hello.anonymous": "Hola",
        "sale": "en venta",
        "rent": "en renta",
        "price.sale": "el precio es de {price}",
        "price.rent": "la renta es de {price}",
        "me.named": "Soy {agent}, de {brokerage}.",
        "me.team": "Le escribimos de {brokerage}.",
        "looking_in": "propiedades en {places}",
        "looking": "propiedades",
        "signoff": "Saludos",
        "price.asked": "El precio es de {price}.",
    },
    "es-tu": {
        "other_question": "lo otro que me preguntas",
        "financing.noted": "Gracias por contarme{comma_name}, lo tomo en cuenta.",
        "first.a": (
            "{hello}. {me} {why}Tengo {kind_a}{title}{place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Te gustaría que te mande más detalles o"
            " prefieres ir a verla?"
        ),
        "first.b": (
            "{hello}. {me} {why}Acaba de entrar {title}{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Quieres que te proponga un par de"
            " horarios para conocerla?"
        ),
        "me.named.b": "Te escribe {agent}, de {brokerage}.",
        "why.returning": "Hace un tiempo nos preguntaste por {wanted}, por eso te escribo. ",
        # No agent named: the brokerage writes, in the plural ("te escribimos", "tenemos").
        "me.team": "Te escribimos de {brokerage}.",
        "why.returning.team": "Hace un tiempo nos preguntaste por {wanted}, por eso te"
        " escribimos. ",
        "first.a.team": (
            "{hello}. {me} {why}Tenemos {kind_a}{title}{place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Te gustaría que te mandemos más detalles o"
            " prefieres ir a verla?"
        ),
        "first.b.team": (
            "{hello}. {me} {why}Acaba de entrar {title}{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Quieres que te propongamos un par de"
            " horarios para conocerla?"
        ),
        "area_fit": ", la zona que buscabas",
        "rooms_fit": "tiene las {rooms} que querías",
        "budget_fit": ", dentro de tu presupuesto",
        "highlight": " Destaca: {highlight}.",
        "link": "\nAquí puedes verla: {link}",
        "followup.1": (
            "{hello}. ¿Pudiste ver lo de {title}? Si quieres, te mando fotos o te propongo un par"
            " de horarios para conocerla."
        ),
        "followup.2": (
            "{hello}. No quiero llenarte de mensajes: si {title} no es lo que buscas, no pasa"
            " nada. Si cambian tus planes, aquí estoy."
        ),
        "check": "Sobre {topics} no tengo el dato confirmado; se lo pregunto a {agent} y te aviso.",
        "check.self": "Sobre {topics} no tengo el dato confirmado; lo reviso y te aviso.",
        "check.any": "Buena pregunta; no tengo ese dato a la mano. Se lo pregunto a {agent} y te"
        " aviso.",
        "check.any.self": "Buena pregunta; no tengo ese dato a la mano. Lo reviso y te aviso.",
        "check.again": "Sigo pendiente{comma_name}: en cuanto {agent} me confirme, te respondo.",
        "check.again.self": "Sigo revisándolo{comma_name}; en cuanto tenga la respuesta te"
        " respondo.",
        "optout.done": "Listo, no recibirás más mensajes nuestros.",
        "more": "¿Te gustaría verla?",
        "ask_anything": "Cualquier otro detalle, con gusto te lo busco. ¿Te gustaría verla?",
        "price": (
            "El precio de {title} es {price}. Si es negociable, las ofertas y las formas de pago"
            " las ve directamente {agent}: le paso tu mensaje para que te contacte."
        ),
        "price.self": (
            "El precio de {title} es {price}. Las ofertas y las formas de pago las veo"
            " personalmente: reviso tu mensaje y te contacto."
        ),
        "price.offer": "Gracias{comma_name}. Le paso tu oferta a {agent} tal cual; las ofertas"
        " las ve directamente y te responde en breve.",
        "price.offer.self": "Gracias{comma_name}. Reviso tu oferta con calma y te respondo en"
        " breve.",
        "negotiate": "Si hay margen para negociarlo lo ve directamente {agent}: le paso tu"
        " mensaje para que te contacte.",
        "negotiate.self": "Si hay margen para negociarlo, lo reviso y te contacto.",
        "price.negotiate": "El precio de {title} es {price}. Si es negociable lo decide {agent};"
        " le paso tu pregunta y te responde en breve.",
        "price.negotiate.self": "El precio de {title} es {price}. Si es negociable lo decido"
        " yo: lo reviso y te respondo en breve.",
        "viewing": "¡Claro{comma_name}! Para ver {title} te propongo:\n{options}\n¿Cuál te"
        " acomoda? {Agent} te confirma la cita.",
        "viewing.self": "¡Claro{comma_name}! Para ver {title} te propongo:\n{options}\n¿Cuál te"
        " acomoda? En cuanto me digas, te confirmo la cita.",
        "greeting": "¡Hola{comma_name}! ¿Te gustaría que te cuente más de {title} o prefieres"
        " que te proponga un par de horarios para verla?",
        "interested": "¡Qué gusto{comma_name}! {Title}: {summary}, por {price}. ¿Quieres que"
        " te proponga horarios para ir a verla?",
        "too_expensive.sale": "Entiendo{comma_name}. ¿Hasta cuánto te gustaría invertir? Así te"
        " aviso si aparece algo que te acomode.",
        "too_expensive.rent": "Entiendo{comma_name}. ¿Hasta cuánto te gustaría pagar de renta al"
        " mes? Así te aviso si aparece algo que te acomode.",
        # Kept by matching, not by the broker: the lead now only gets rentals.
        "rent_only": "Entendido{comma_name}: buscas rentar. Te aviso cuando aparezca algo en"
        " renta que te acomode.",
        "not_interested": "Gracias por avisarme{comma_name}. No te escribo más sobre {title}."
        " ¡Mucho éxito!",
        "other": "Gracias{comma_name}. Se lo comento a {agent} para que te responda.",
        "other.self": "Gracias{comma_name}. Lo reviso y te respondo en breve.",
        "thanks": "Con gusto{comma_name}.",
        "safe.closing": "Gracias por avisarme{comma_name}.",
        "optin.done": "Listo{comma_name}, vuelves a recibir nuestros mensajes por aquí.",
        "channel.stopped.SMS": "Listo, ya no te mando SMS.",
        "channel.stopped.EMAIL": "Listo, ya no te escribo por correo.",
        "channel.stopped.WHATSAPP": "Listo, ya no te escribo por WhatsApp.",
        "channel.here.EMAIL": "Seguimos por correo.",
        "channel.here.SMS": "Seguimos por mensaje de texto.",
        "channel.here.WHATSAPP": "Seguimos por WhatsApp.",
        "language.kept": "Claro, a partir de ahora te escribo en español.",
        "offer.others": "Entiendo{comma_name}, {title} no está en la zona que buscas. {Agent}"
        " también tiene:\n{options}\n¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.others.none": "Gracias por avisarme{comma_name}. Por ahora {Agent} no tiene otra"
        " opción en la zona que buscas; si aparece alguna, te aviso.",
        "too_expensive.none.sale": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción"
        " más económica. ¿Hasta cuánto te gustaría invertir? Así te aviso si aparece algo.",
        "too_expensive.none.rent": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción"
        " más económica. ¿Hasta cuánto te gustaría pagar al mes? Así te aviso si aparece algo.",
        "offer.cheaper": "Entiendo{comma_name}. {Agent} tiene opciones más económicas:\n"
        "{options}\n¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.cheaper.none": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción más"
        " económica; si aparece alguna, te aviso.",
        "offer.bigger": "Entiendo{comma_name}. {Agent} tiene opciones más amplias:\n{options}\n"
        "¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.bigger.none": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción más"
        " amplia; si aparece alguna, te aviso.",
        "offer.others.self": "Entiendo{comma_name}, {title} no está en la zona que buscas."
        " También tengo:\n{options}\n¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.others.none.self": "Gracias por avisarme{comma_name}. Por ahora no tengo otra"
        " opción en la zona que buscas; si aparece alguna, te aviso.",
        "too_expensive.none.sale.self": "Entiendo{comma_name}. Por ahora no tengo otra opción"
        " más económica. ¿Hasta cuánto te gustaría invertir? Así te aviso si aparece algo.",
        "too_expensive.none.rent.self": "Entiendo{comma_name}. Por ahora no tengo otra opción"
        " más económica. ¿Hasta cuánto te gustaría pagar al mes? Así te aviso si aparece algo.",
        "offer.cheaper.self": "Entiendo{comma_name}. Tengo opciones más económicas:\n"
        "{options}\n¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.cheaper.none.self": "Entiendo{comma_name}. Por ahora no tengo otra opción más"
        " económica; si aparece alguna, te aviso.",
        "offer.bigger.self": "Entiendo{comma_name}. Tengo opciones más amplias:\n{options}\n"
        "¿Te interesa alguna? Dime cuál y te cuento más.",
        "offer.bigger.none.self": "Entiendo{comma_name}. Por ahora no tengo otra opción más"
        " amplia; si aparece alguna, te aviso.",
        "update.contact": "Listo{comma_name}, guardé {what}; te escribo ahí de ahora en adelante.",
        "update.email": "tu correo {email}",
        "update.phone": "tu número {phone}",
        "update.invalid.email": "Creo que al correo le falta algo; ¿me lo compartes de nuevo?",
        "update.invalid.phone": "Creo que al número le faltan dígitos; ¿me lo compartes completo,"
        " con lada?",
        "referral.saved": "¡Gracias por recomendarnos{comma_name}! Le paso {whose} a {agent};"
        " nadie le escribirá sin su permiso.",
        "referral.incomplete": "¡Gracias por recomendarnos{comma_name}! Se lo comento a {agent}."
        " Si quieres, compárteme el celular o el correo de {who} para que {agent} le llame.",
        "referral.whose": "sus datos",
        "referral.whose.named": "los datos de {name}",
        "referral.who": "esa persona",
        "criteria.saved": "Anotado{comma_name}: ahora buscas {wants}.",
        "criteria.offer": "{Agent} tiene estas opciones:\n{options}\n¿Te interesa alguna? Dime"
        " cuál y te cuento más.",
        "criteria.offer.self": "Tengo estas opciones:\n{options}\n¿Te interesa alguna? Dime"
        " cuál y te cuento más.",
        "criteria.none": "Por ahora {Agent} no tiene algo así; en cuanto aparezca, te aviso.",
        "criteria.none.self": "Por ahora no tengo algo así; en cuanto aparezca, te aviso.",
        "welcome_back": "Qué gusto saber de ti otra vez{comma_name}.",
        "call": "Claro{comma_name}. {Agent} te llama en cuanto pueda.",
        "call.self": "Claro{comma_name}. Te llamo en cuanto pueda.",
        "call.written": "Claro{comma_name}. {Agent} te llama al número que me diste en cuanto"
        " pueda.",
        "call.written.self": "Claro{comma_name}. Te llamo al número que me diste en cuanto pueda.",
        "call.number": "Claro{comma_name}. ¿A qué número te puede llamar {agent}?",
        "call.number.self": "Claro{comma_name}. ¿A qué número te llamo?",
        # US bot-disclosure rules: asked, the assistant says truthfully what it is.
        "bot.disclosure": (
            "Soy el asistente virtual de {Agent}, una inteligencia artificial. {Agent} lee"
            " esta conversación y te responde en persona cuando haga falta."
        ),
    },
    "es-usted": {
        "other_question": "lo otro que me pregunta",
        "financing.noted": "Gracias por contarme{comma_name}, lo tomo en cuenta.",
        "first.a": (
            "{hello}. {me} {why}Tengo {kind_a}{title}{place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Le gustaría que le envíe más detalles o"
            " prefiere ir a verla?"
        ),
        "first.b": (
            "{hello}. {me} {why}Acaba de entrar {title}{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Quiere que le proponga un par de"
            " horarios para conocerla?"
        ),
        "me.named.b": "Le escribe {agent}, de {brokerage}.",
        "why.returning": "Hace un tiempo nos preguntó por {wanted}, por eso le escribo. ",
        "me.team": "Le escribimos de {brokerage}.",
        "why.returning.team": "Hace un tiempo nos preguntó por {wanted}, por eso le escribimos. ",
        "first.a.team": (
            "{hello}. {me} {why}Tenemos {kind_a}{title}{place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Le gustaría que le enviemos más detalles o"
            " prefiere ir a verla?"
        ),
        "first.b.team": (
            "{hello}. {me} {why}Acaba de entrar {title}{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\n¿Quiere que le propongamos un par de"
            " horarios para conocerla?"
        ),
        "area_fit": ", la zona que usted buscaba",
        "rooms_fit": "tiene las {rooms} que usted quería",
        "budget_fit": ", dentro de su presupuesto",
        "highlight": " Destaca: {highlight}.",
        "link": "\nAquí puede verla: {link}",
        "followup.1": (
            "{hello}. ¿Pudo ver lo de {title}? Si gusta, le envío fotos o le propongo un par de"
            " horarios para conocerla."
        ),
        "followup.2": (
            "{hello}. No quiero llenarle de mensajes: si {title} no es lo que busca, no pasa"
            " nada. Si cambian sus planes, aquí estoy."
        ),
        "check": "Sobre {topics} no tengo el dato confirmado; se lo pregunto a {agent} y le aviso.",
        "check.self": "Sobre {topics} no tengo el dato confirmado; lo reviso y le aviso.",
        "check.any": "Buena pregunta; no tengo ese dato a la mano. Se lo pregunto a {agent} y le"
        " aviso.",
        "check.any.self": "Buena pregunta; no tengo ese dato a la mano. Lo reviso y le aviso.",
        "check.again": "Sigo pendiente{comma_name}: en cuanto {agent} me confirme, le respondo.",
        "check.again.self": "Sigo revisándolo{comma_name}; en cuanto tenga la respuesta le"
        " respondo.",
        "optout.done": "Listo, no recibirá más mensajes nuestros.",
        "more": "¿Le gustaría verla?",
        "ask_anything": "Cualquier otro detalle, con gusto se lo busco. ¿Le gustaría verla?",
        "price": (
            "El precio de {title} es {price}. Si es negociable, las ofertas y las formas de pago"
            " las ve directamente {agent}: le paso su mensaje para que le contacte."
        ),
        "price.self": (
            "El precio de {title} es {price}. Las ofertas y las formas de pago las veo"
            " personalmente: reviso su mensaje y le contacto."
        ),
        "price.offer": "Gracias{comma_name}. Le paso su oferta a {agent} tal cual; las ofertas"
        " las ve directamente y le responde en breve.",
        "price.offer.self": "Gracias{comma_name}. Reviso su oferta con calma y le respondo en"
        " breve.",
        "negotiate": "Si hay margen para negociarlo lo ve directamente {agent}: le paso su"
        " mensaje para que le contacte.",
        "negotiate.self": "Si hay margen para negociarlo, lo reviso y le contacto.",
        "price.negotiate": "El precio de {title} es {price}. Si es negociable lo decide {agent};"
        " le paso su pregunta y le responde en breve.",
        "price.negotiate.self": "El precio de {title} es {price}. Si es negociable lo decido"
        " yo: lo reviso y le respondo en breve.",
        "viewing": "Claro{comma_name}. Para ver {title} le propongo:\n{options}\n¿Cuál le acomoda?",
        "viewing.self": "Claro{comma_name}. Para ver {title} le propongo:\n{options}\n¿Cuál le"
        " acomoda? En cuanto me diga, le confirmo la cita.",
        "greeting": "Hola{comma_name}. ¿Le gustaría que le cuente más de {title} o prefiere que"
        " le proponga un par de horarios para verla?",
        "interested": "Qué gusto{comma_name}. {Title}: {summary}, por {price}. ¿Quiere que le"
        " proponga horarios para ir a verla?",
        "too_expensive.sale": "Entiendo{comma_name}. ¿Hasta cuánto le gustaría invertir? Así le"
        " aviso si aparece algo que le acomode.",
        "too_expensive.rent": "Entiendo{comma_name}. ¿Hasta cuánto le gustaría pagar de renta al"
        " mes? Así le aviso si aparece algo que le acomode.",
        "rent_only": "Entendido{comma_name}: usted busca rentar. Le aviso cuando aparezca algo"
        " en renta que le acomode.",
        "not_interested": "Gracias por avisarme{comma_name}. No le escribo más sobre {title}."
        " Mucho éxito.",
        "other": "Gracias{comma_name}. Se lo comento a {agent} para que le responda.",
        "other.self": "Gracias{comma_name}. Lo reviso y le respondo en breve.",
        "thanks": "Con gusto{comma_name}.",
        "safe.closing": "Gracias por avisarme{comma_name}.",
        "optin.done": "Listo{comma_name}, vuelve a recibir nuestros mensajes por aquí.",
        "channel.stopped.SMS": "Listo, ya no le envío SMS.",
        "channel.stopped.EMAIL": "Listo, ya no le escribo por correo.",
        "channel.stopped.WHATSAPP": "Listo, ya no le escribo por WhatsApp.",
        "channel.here.EMAIL": "Seguimos por correo.",
        "channel.here.SMS": "Seguimos por mensaje de texto.",
        "channel.here.WHATSAPP": "Seguimos por WhatsApp.",
        "language.kept": "Claro, a partir de ahora le escribo en español.",
        "offer.others": "Entiendo{comma_name}, {title} no está en la zona que busca. {Agent}"
        " también tiene:\n{options}\n¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.others.none": "Gracias por avisarme{comma_name}. Por ahora {Agent} no tiene otra"
        " opción en la zona que busca; si aparece alguna, le aviso.",
        "too_expensive.none.sale": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción"
        " más económica. ¿Hasta cuánto le gustaría invertir? Así le aviso si aparece algo.",
        "too_expensive.none.rent": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción"
        " más económica. ¿Hasta cuánto le gustaría pagar al mes? Así le aviso si aparece algo.",
        "offer.cheaper": "Entiendo{comma_name}. {Agent} tiene opciones más económicas:\n"
        "{options}\n¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.cheaper.none": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción más"
        " económica; si aparece alguna, le aviso.",
        "offer.bigger": "Entiendo{comma_name}. {Agent} tiene opciones más amplias:\n{options}\n"
        "¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.bigger.none": "Entiendo{comma_name}. Por ahora {Agent} no tiene otra opción más"
        " amplia; si aparece alguna, le aviso.",
        "offer.others.self": "Entiendo{comma_name}, {title} no está en la zona que busca."
        " También tengo:\n{options}\n¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.others.none.self": "Gracias por avisarme{comma_name}. Por ahora no tengo otra"
        " opción en la zona que busca; si aparece alguna, le aviso.",
        "too_expensive.none.sale.self": "Entiendo{comma_name}. Por ahora no tengo otra opción"
        " más económica. ¿Hasta cuánto le gustaría invertir? Así le aviso si aparece algo.",
        "too_expensive.none.rent.self": "Entiendo{comma_name}. Por ahora no tengo otra opción"
        " más económica. ¿Hasta cuánto le gustaría pagar al mes? Así le aviso si aparece algo.",
        "offer.cheaper.self": "Entiendo{comma_name}. Tengo opciones más económicas:\n"
        "{options}\n¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.cheaper.none.self": "Entiendo{comma_name}. Por ahora no tengo otra opción más"
        " económica; si aparece alguna, le aviso.",
        "offer.bigger.self": "Entiendo{comma_name}. Tengo opciones más amplias:\n{options}\n"
        "¿Le interesa alguna? Dígame cuál y le cuento más.",
        "offer.bigger.none.self": "Entiendo{comma_name}. Por ahora no tengo otra opción más"
        " amplia; si aparece alguna, le aviso.",
        "update.contact": "Listo{comma_name}, guardé {what}; le escribo ahí de ahora en adelante.",
        "update.email": "su correo {email}",
        "update.phone": "su número {phone}",
        "update.invalid.email": "Creo que al correo le falta algo; ¿me lo comparte de nuevo?",
        "update.invalid.phone": "Creo que al número le faltan dígitos; ¿me lo comparte completo,"
        " con lada?",
        "referral.saved": "¡Gracias por recomendarnos{comma_name}! Le paso {whose} a {agent};"
        " nadie le escribirá sin su permiso.",
        "referral.incomplete": "¡Gracias por recomendarnos{comma_name}! Se lo comento a {agent}."
        " Si gusta, compártame el celular o el correo de {who} para que {agent} le llame.",
        "referral.whose": "sus datos",
        "referral.whose.named": "los datos de {name}",
        "referral.who": "esa persona",
        "criteria.saved": "Anotado{comma_name}: ahora busca {wants}.",
        "criteria.offer": "{Agent} tiene estas opciones:\n{options}\n¿Le interesa alguna? Dígame"
        " cuál y le cuento más.",
        "criteria.offer.self": "Tengo estas opciones:\n{options}\n¿Le interesa alguna? Dígame"
        " cuál y le cuento más.",
        "criteria.none": "Por ahora {Agent} no tiene algo así; en cuanto aparezca, le aviso.",
        "criteria.none.self": "Por ahora no tengo algo así; en cuanto aparezca, le aviso.",
        "welcome_back": "Qué gusto saber de usted otra vez{comma_name}.",
        "call": "Claro{comma_name}. {Agent} le llama en cuanto pueda.",
        "call.self": "Claro{comma_name}. Le llamo en cuanto pueda.",
        "call.written": "Claro{comma_name}. {Agent} le llama al número que me dio en cuanto pueda.",
        "call.written.self": "Claro{comma_name}. Le llamo al número que me dio en cuanto pueda.",
        "call.number": "Claro{comma_name}. ¿A qué número le puede llamar {agent}?",
        "call.number.self": "Claro{comma_name}. ¿A qué número le llamo?",
        "bot.disclosure": (
            "Soy el asistente virtual de {Agent}, una inteligencia artificial. {Agent} lee"
            " esta conversación y le responde en persona cuando haga falta."
        ),
    },
    "en": {
        "other_question": "your other question",
        "financing.noted": "Thanks for letting me know{comma_name}, that helps.",
        "hello": "Hi {name}",
        "hello.anonymous": "Hi there",
        "sale": "for sale",
        "rent": "for rent",
        "price.sale": "it is listed at {price}",
        "price.rent": "it rents for {price}",
        "optout.done": "Done. You won't receive more messages from us.",
        "signoff": "Best",
        "me.named": "this is {agent} from {brokerage}.",
        "me.team": "this is {brokerage}.",
        "looking_in": "homes in {places}",
        "looking": "homes",
        "first.a": (
            "{hello}, {me} {why}A place {kind_a}made me think of"
            " you: {title}{place}{area_fit}. {facts}{highlight}{link}\n\nWould you like more"
            " details, or would you rather go and see it?"
        ),
        "first.b": (
            "{hello}, {me} {why}{Title} just came up{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\nShall I suggest a couple of times to see it?"
        ),
        "me.named.b": "{agent} at {brokerage} here.",
        "why.returning": "A while ago you asked us about {wanted}, so I'm reaching out. ",
        "why.returning.team": "A while ago you asked us about {wanted}, so we're reaching out. ",
        "first.a.team": (
            "{hello}, {me} {why}We have a place {kind_a}that made us think of"
            " you: {title}{place}{area_fit}. {facts}{highlight}{link}\n\nWould you like more"
            " details, or would you rather go and see it?"
        ),
        "first.b.team": (
            "{hello}, {me} {why}{Title} just came up{kind_place}"
            "{area_fit}. {facts}{highlight}{link}\n\nShall we suggest a couple of times to see"
            " it?"
        ),
        "area_fit": ", where you were looking",
        "rooms_fit": "it has the {rooms} you wanted",
        "budget_fit": ", within your budget",
        "highlight": " A highlight: {highlight}.",
        "link": "\nSee it here: {link}",
        "followup.1": (
            "{hello}, did you get a chance to look at {title}? I can send photos or suggest a"
            " couple of times to see it."
        ),
        "followup.2": (
            "{hello}, I don't want to crowd your inbox: if {title} isn't right for you, no"
            " problem at all. If your plans change, I'm here."
        ),
        "check": "About {topics}, let me check with {agent} and get back to you.",
        "check.self": "About {topics}, let me check and get back to you.",
        "check.any": "Good question, and I don't have that detail at hand; let me check with"
        " {agent} and get back to you.",
        "check.any.self": "Good question, and I don't have that detail at hand; let me check and"
        " get back to you.",
        "price.asked": "It is listed at {price}.",
        "check.again": "Still on it{comma_name}: I'll get back to you as soon as {agent} confirms.",
        "check.again.self": "Still on it{comma_name}: I'll get back to you as soon as I have the"
        " answer.",
        "more": "Would you like to see it?",
        "ask_anything": "Happy to look up any other detail. Would you like to see it?",
        "price": (
            "{Title} is listed at {price}. Whether it's negotiable, offers and payment terms are"
            " handled by {agent} directly: I'm passing your message on so they can get in touch."
        ),
        "price.self": (
            "{Title} is listed at {price}. I handle offers and payment terms personally, so I'll"
            " look at your message and get back to you."
        ),
        "price.offer": "Thanks{comma_name}. I'm passing your offer on to {agent} as it is; they"
        " handle offers directly and will get back to you shortly.",
        "price.offer.self": "Thanks{comma_name}. I'll look at your offer carefully and get back"
        " to you shortly.",
        "negotiate": "Whether there's room to negotiate is up to {agent}: I'm passing your"
        " message on so they can get in touch.",
        "negotiate.self": "Whether there's room to negotiate, I'll look into it and get back to"
        " you.",
        "price.negotiate": "{Title} is listed at {price}. Whether the price is negotiable is"
        " {agent}'s call; I'm passing your question on and they'll get back to you shortly.",
        "price.negotiate.self": "{Title} is listed at {price}. Whether the price is negotiable"
        " is my call: I'll look into it and get back to you shortly.",
        "viewing.self": "Of course{comma_name}! To see {title} I can offer:\n{options}\nWhich"
        " one suits you? I'll confirm the visit as soon as you tell me.",
        "greeting": "Hi{comma_name}! Would you like to hear more about {title}, or shall I"
        " suggest a couple of times to see it?",
        "viewing": "Of course{comma_name}! To see {title} I can offer:\n{options}\nWhich one"
        " suits you? {Agent} will confirm the visit.",
        "interested": "Great to hear{comma_name}! {Title}: {summary}, at {price}. Shall I"
        " suggest a few times to go and see it?",
        "too_expensive.sale": "Understood{comma_name}. What's the most you'd like to spend? I'll"
        " let you know if something comes up in that range.",
        "too_expensive.rent": "Understood{comma_name}. What's the most you'd like to spend a"
        " month in rent? I'll let you know if something comes up in that range.",
        "rent_only": "Got it{comma_name}: you're looking to rent. I'll let you know when a"
        " rental that fits comes up.",
        "not_interested": "Thanks for letting me know{comma_name}. I won't write again about"
        " {title}. All the best!",
        "other": "Thanks{comma_name}. I'll pass this on to {agent} to get back to you.",
        "other.self": "Thanks{comma_name}. Let me look into it and get back to you shortly.",
        "thanks": "You're welcome{comma_name}.",
        "safe.closing": "Thanks for letting me know{comma_name}.",
        "optin.done": "Done{comma_name}, you'll get our messages here again.",
        "channel.stopped.SMS": "Done, no more texts.",
        "channel.stopped.EMAIL": "Done, no more emails.",
        "channel.stopped.WHATSAPP": "Done, no more WhatsApp messages.",
        "channel.here.EMAIL": "I'll keep to email.",
        "channel.here.SMS": "I'll keep to text messages.",
        "channel.here.WHATSAPP": "I'll keep to WhatsApp.",
        "language.kept": "Sure, I'll write to you in English from now on.",
        "offer.others": "Understood{comma_name}, {title} isn't in the area you want. {Agent}"
        " also has:\n{options}\nDoes one of them interest you? Tell me which and I'll tell you"
        " more.",
        "offer.others.none": "Thanks for letting me know{comma_name}. {Agent} has nothing else"
        " in the area you want right now; I'll let you know if something comes up.",
        "too_expensive.none.sale": "Understood{comma_name}. {Agent} has nothing more affordable"
        " right now. What's the most you'd like to spend? I'll let you know if something comes"
        " up.",
        "too_expensive.none.rent": "Understood{comma_name}. {Agent} has nothing more affordable"
        " right now. What's the most you'd like to spend a month? I'll let you know if"
        " something comes up.",
        "offer.cheaper": "Understood{comma_name}. {Agent} has some more affordable options:\n"
        "{options}\nDoes one of them interest you? Tell me which and I'll tell you more.",
        "offer.cheaper.none": "Understood{comma_name}. {Agent} has nothing more affordable right"
        " now; I'll let you know if something comes up.",
        "offer.bigger": "Understood{comma_name}. {Agent} has some bigger options:\n{options}\n"
        "Does one of them interest you? Tell me which and I'll tell you more.",
        "offer.bigger.none": "Understood{comma_name}. {Agent} has nothing bigger right now; I'll"
        " let you know if something comes up.",
        "offer.others.self": "Understood{comma_name}, {title} isn't in the area you want. I"
        " also have:\n{options}\nDoes one of them interest you? Tell me which and I'll tell you"
        " more.",
        "offer.others.none.self": "Thanks for letting me know{comma_name}. I have nothing else"
        " in the area you want right now; I'll let you know if something comes up.",
        "too_expensive.none.sale.self": "Understood{comma_name}. I have nothing more affordable"
        " right now. What's the most you'd like to spend? I'll let you know if something comes"
        " up.",
        "too_expensive.none.rent.self": "Understood{comma_name}. I have nothing more affordable"
        " right now. What's the most you'd like to spend a month? I'll let you know if"
        " something comes up.",
        "offer.cheaper.self": "Understood{comma_name}. I have some more affordable options:\n"
        "{options}\nDoes one of them interest you? Tell me which and I'll tell you more.",
        "offer.cheaper.none.self": "Understood{comma_name}. I have nothing more affordable right"
        " now; I'll let you know if something comes up.",
        "offer.bigger.self": "Understood{comma_name}. I have some bigger options:\n{options}\n"
        "Does one of them interest you? Tell me which and I'll tell you more.",
        "offer.bigger.none.self": "Understood{comma_name}. I have nothing bigger right now; I'll"
        " let you know if something comes up.",
        "update.contact": "Got it{comma_name}, I saved {what} and will write to you there from"
        " now on.",
        "update.email": "your email {email}",
        "update.phone": "your number {phone}",
        "update.invalid.email": "I think that email address is missing something; could you send"
        " it again?",
        "update.invalid.phone": "I think that number is missing some digits; could you send the"
        " full number?",
        "referral.saved": "Thanks for the referral{comma_name}! I'll pass {whose} on to {agent};"
        " nobody will message them without their permission.",
        "referral.incomplete": "Thanks for the referral{comma_name}! I'll let {agent} know. If you"
        " like, send me a cell or email for {who} so {agent} can call.",
        "referral.whose": "their details",
        "referral.whose.named": "{name}'s details",
        "referral.who": "them",
        "criteria.saved": "Noted{comma_name}: you're now looking for {wants}.",
        "criteria.offer": "{Agent} has these options:\n{options}\nDoes one of them interest you?"
        " Tell me which and I'll tell you more.",
        "criteria.offer.self": "I have these options:\n{options}\nDoes one of them interest you?"
        " Tell me which and I'll tell you more.",
        "criteria.none": "{Agent} has nothing like that right now; I'll let you know as soon as"
        " something comes up.",
        "criteria.none.self": "I have nothing like that right now; I'll let you know as soon as"
        " something comes up.",
        "welcome_back": "Great to hear from you again{comma_name}.",
        "call": "Sure{comma_name}. {Agent} will call you as soon as they can.",
        "call.self": "Sure{comma_name}. I'll call you as soon as I can.",
        "call.written": "Sure{comma_name}. {Agent} will call you at the number you gave me as"
        " soon as they can.",
        "call.written.self": "Sure{comma_name}. I'll call you at the number you gave me as soon"
        " as I can.",
        "call.number": "Sure{comma_name}. What number can {agent} call you at?",
        "call.number.self": "Sure{comma_name}. What number can I call you at?",
        "bot.disclosure": (
            "I'm {Agent}'s virtual assistant, an AI. {Agent} reads this conversation and"
            " answers you personally whenever needed."
        ),
    },
}

FIRST_VARIANTS = ("a", "b")


def voice(language: str, formality: str = "TU") -> Voice:
    if language == "en":
        return "en"
    return "es-usted" if formality.upper() == "USTED" else "es-tu"


def say_as(voice_: str, key: str, own: bool, **names: object) -> str:
    """`say`, in the first person (`key.self`) when the agent signs as themself (`own`, see
    `replies.own_voice`) and the voice has it: "Tengo opciones", not "Jorge tiene opciones"
    above Jorge's name."""
    if own:
        table, shared = TEMPLATES[voice_], TEMPLATES[voice_.split("-")[0]]
        if f"{key}.self" in table or f"{key}.self" in shared:
            return say(voice_, f"{key}.self", **names)
    return say(voice_, key, **names)


def say(voice_: str, key: str, **names: object) -> str:
    """The sentence `key` in this voice, with its names filled in."""
    table = TEMPLATES[voice_]
    text = table.get(key)
    if text is None:
        text = TEMPLATES[voice_.split("-")[0]][key]
    said = text.format(**names)
    # A listing named with its article ("el departamento en Polanco") after "de" or "a".
    return _CONTRACTIONS.sub(r"\1l ", said) if voice_ != "en" else said


# Spanish contracts "de el" and "a el" to "del" and "al" (the pronoun "él" keeps its accent).
_CONTRACTIONS = re.compile(r"\b(de|a)\s+el\s+(?=\w)")
