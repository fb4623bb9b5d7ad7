# Lo que leen los pacientes, en español (de tú). HTML de Telegram: <b>, <i> y &amp; como en
# cualquier mensaje. Los ids y las variables son los de en/patients.ftl.

## /start (y el comienzo de /help): cada sección es un título y su párrafo.

welcome-heading = Pregunta a un médico
welcome-intro =
    Envíame tu pregunta de salud con tus propias palabras, en un solo mensaje. Busco entre las
    respuestas que ya han dado los médicos y te muestro la más cercana, con el nombre, la
    especialidad, el lugar y la valoración de cada médico.
welcome-how-heading = Cómo preguntar
welcome-how =
    Escribe una pregunta completa, por ejemplo: <i>¿Por qué necesitaría microdermoabrasión
    después de un tratamiento con eMatrix?</i> Incluye lo importante (edad, desde cuándo,
    medicamentos), pero no tu nombre ni tus datos de contacto. Puedes añadir una foto, un PDF o
    un mensaje de voz: envíalo con tu pregunta escrita como comentario, o justo después; solo lo
    ven los médicos.
welcome-unanswered-heading = Si todavía no hay respuesta
welcome-unanswered =
    Guardo tu pregunta para que un médico pueda responderla y te cuento qué pasará después.
welcome-emergencies-heading = Emergencias
welcome-emergencies =
    Este bot no es para emergencias. Si puedes estar en peligro, llama ahora a tu número local
    de emergencias.
welcome-privacy-heading = Privacidad
welcome-privacy =
    Guardamos tus preguntas (con sus archivos), las respuestas que recibes y una etiqueta
    anónima durante { $days } desde tu último mensaje. Los médicos nunca ven tu nombre, tu
    usuario ni tu id de Telegram. Una pregunta respondida puede sumarse a nuestras respuestas
    públicas, redactada de nuevo y sin nada que te identifique, salvo que toques <i>Mantener
    privada</i>. /privacy te cuenta más; /mydata muestra lo que guardamos; /forget lo borra.
help-commands-heading = Comandos

days = { $days ->
    [one] { $days } día
   *[other] { $days } días
}

## Privacidad

privacy-notice =
    <i>Privacidad: los médicos nunca ven tu nombre. Si un médico responde, tu pregunta puede
    sumarse a nuestras respuestas públicas, redactada de nuevo para que nada te identifique.
    /privacy lo explica; /forget borra tus datos.</i>

privacy =
    <b>Tu privacidad</b>

    <b>Qué guardamos.</b> Tus preguntas, las respuestas que recibiste, lo que respondes a los
    médicos, tus valoraciones y una etiqueta anónima (como <i>Paciente #K7QX</i>). No tu nombre,
    tu usuario ni tu número de teléfono. Las fotos, los archivos y los mensajes de voz se quedan
    en Telegram: solo guardamos una referencia a ellos, y los médicos no pueden reenviarlos ni
    guardarlos; nunca pasan a las respuestas públicas. Todo se borra { $days } después de tu
    último mensaje; el texto de cada pregunta, { $days } después de enviarla.

    <b>Quién lo ve.</b> Los médicos ven tu pregunta y tu etiqueta, nunca tu nombre, tu usuario
    ni tu id de Telegram. Quien opera el bot puede leer la base de datos.

    <b>Las respuestas públicas.</b> Cuando un médico responde, tu pregunta puede sumarse a
    nuestras respuestas públicas para que el próximo paciente reciba respuesta al instante, pero
    nunca tal como la escribiste: se redacta de nuevo, sin nombres, teléfonos, correos
    electrónicos, enlaces, direcciones, fechas ni nada más que te identifique. { $review } Toca
    <i>Mantener privada</i> cuando tu pregunta vaya a los médicos y nunca se sumará a ellas.

    <b>Tus datos.</b> /mydata te envía en un archivo todo lo que guardamos sobre ti. /forget lo
    borra: tus preguntas y archivos, tu etiqueta, el vínculo de tus valoraciones contigo y las
    copias de tus preguntas en los chats de los médicos. Las respuestas públicas redactadas de
    nuevo se quedan, porque ya no identifican a nadie.
privacy-review-by-admin =
    Un médico revisa la pregunta redactada de nuevo, y un administrador la aprueba antes de
    publicarla.
privacy-review-by-doctor =
    El médico que responde revisa la pregunta redactada de nuevo antes de publicarla.

keep-private-button = Mantener privada
kept-private =
    Listo: la pregunta #{ $ref } se responderá solo a ti y nunca se sumará a las respuestas
    públicas.
kept-private-withdrawn =
    Listo: la pregunta #{ $ref } ahora es solo tuya. Se había sumado a las respuestas públicas;
    ya la retiramos.
report-button = Reportar
report-thanks =
    Gracias por avisarnos. Los administradores revisarán esta respuesta y la ocultarán si es
    incorrecta o identifica a alguien.

mydata-caption =
    Todo lo que AskDoc guarda sobre ti: { $questions ->
        [one] { $questions } pregunta
       *[other] { $questions } preguntas
    }. /forget lo borra.
mydata-about = Todo lo que AskDoc guarda sobre ti. /forget en el chat lo borra.
mydata-nothing = No guardamos nada sobre ti: no has hecho ninguna pregunta aquí.
forget-confirm-heading = ¿Borrar tus datos?
forget-confirm =
    Esto borra tus preguntas con los archivos que enviaste y tus respuestas a los médicos, tu
    etiqueta, el vínculo de tus valoraciones contigo, cualquier pregunta que aún espere a un
    médico y las copias de tus preguntas en los chats de los médicos. Las respuestas públicas
    redactadas de nuevo se quedan, porque ya no identifican a nadie. No se puede deshacer.
forget-button = Borrar mis datos
forgotten =
    Listo: borramos { $questions ->
        [one] { $questions } pregunta
       *[other] { $questions } preguntas
    }, { $ratings ->
        [one] { $ratings } valoración
       *[other] { $ratings } valoraciones
    } y tu etiqueta. Estamos borrando las copias de tus preguntas en los chats de los médicos.
    Los mensajes de este chat están en tu dispositivo: <i>Borrar historial</i> de Telegram los
    elimina.
nothing-to-forget = No guardamos nada sobre ti, así que no hay nada que borrar.

## Una pregunta sin respuesta en el banco

no-good-match =
    No encontré la respuesta de un médico que encaje bien con tu pregunta, así que no voy a
    adivinar.

    <b>Qué pasa ahora:</b> tu pregunta queda guardada (referencia <b>#{ $ref }</b>) para
    nuestros médicos. Cuando un médico la responda, te enviaremos la respuesta aquí. Mientras
    tanto, puedes probar a preguntarlo con otras palabras.
known-but-unanswered =
    Conocemos tu pregunta, pero ningún médico la ha respondido todavía.

    <b>Qué pasa ahora:</b> tu pregunta queda guardada (referencia <b>#{ $ref }</b>) para
    nuestros médicos. Cuando un médico la responda, te enviaremos la respuesta aquí.
routed =
    No encontré la respuesta de un médico que encaje bien con tu pregunta, así que no voy a
    adivinar.

    <b>Qué pasa ahora:</b> tu pregunta (referencia <b>#{ $ref }</b>) ya está con nuestros
    médicos. La ven sin tu nombre. Cuando un médico responda, la respuesta te llegará aquí;
    podrás valorarla y hacerle una pregunta de seguimiento. Mientras tanto, puedes probar a
    preguntarlo con otras palabras.
routed-on-request =
    Tu pregunta (referencia <b>#{ $ref }</b>) ya está con nuestros médicos, sin tu nombre.
    Cuando un médico responda, la respuesta te llegará aquí.
already-with-doctors = Tu pregunta #{ $ref } ya está con nuestros médicos.
usual-wait = Los médicos suelen responder en aproximadamente { $wait }.
doctors-away =
    Nuestros médicos no están disponibles ahora: vuelven el { $day } a las { $time } ({ $zone }).
slow-down =
    Estás enviando mensajes más rápido de lo que puedo responderlos bien. Tu mensaje queda
    guardado; espera aproximadamente { $wait } y luego envía tu pregunta en un solo mensaje.
limited =
    Nuestros médicos ya tienen { $count } de tus preguntas de la última hora, el máximo que
    aceptan de una misma persona. Tu pregunta queda guardada (referencia <b>#{ $ref }</b>):
    dentro de aproximadamente { $wait }, toca <i>Preguntar a un médico</i> abajo para enviársela.
    Mientras tanto, puedes probar a preguntarlo con otras palabras.
blocked =
    Un administrador ha pausado este servicio para ti, así que tus mensajes aquí no se leen ni se
    guardan. Si crees que es un error, ponte en contacto con la organización que gestiona este
    bot.

## Cuánto tiempo: en "aproximadamente { $wait }".

duration-seconds = { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
}
duration-minutes = { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}
duration-hours = { $hours ->
    [one] { $hours } hora
   *[other] { $hours } horas
}
duration-hours-minutes =
    { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    } y { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }
duration-days = { $days ->
    [one] { $days } día
   *[other] { $days } días
}
duration-days-hours =
    { $days ->
        [one] { $days } día
       *[other] { $days } días
    } y { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }

## Respuestas sobre lo que envió el paciente

no-words =
    No encontré palabras en tu mensaje. Describe tu pregunta con palabras, por ejemplo: <i>¿Es
    seguro tomar ibuprofeno con café?</i>
long-question =
    Tu mensaje es largo ({ $length } caracteres), así que busqué con su primera parte. Tu
    pregunta completa queda guardada.
edited-question = Editaste tu mensaje, así que esto es lo que encontré para el nuevo texto.
unknown-command =
    No conozco el comando { $command }. Envía /help para ver lo que puedo hacer, o simplemente
    escribe tu pregunta.
internal-error =
    Lo siento, algo falló por nuestra parte. Tu mensaje está guardado; inténtalo de nuevo en un
    momento.
opened-match-missing = Esa respuesta ya no está disponible. Vuelve a hacer tu pregunta, por favor.

media-kind = { $kind ->
    [sticker] stickers
    [photo] fotos
    [voice] mensajes de voz
    [video_note] videomensajes
    [video] videos
    [audio] archivos de audio
    [animation] GIF
    [document] archivos
    [location] ubicaciones
    [contact] contactos
    [poll] encuestas
   *[other] eso
}
only-text = Solo puedo leer texto. Escribe tu pregunta con palabras: no puedo abrir { $kind }.
caption-used = No puedo abrir { $kind }, así que usé el texto que lo acompaña como tu pregunta.

## Archivos que adjunta un paciente

file-kept =
    { $kind ->
        [photo] 📎 Guardo tu foto con esta pregunta, solo para los médicos: no pueden reenviarla ni guardarla, y nunca aparece en las respuestas públicas.
        [voice] 📎 Guardo tu mensaje de voz con esta pregunta, solo para los médicos: no pueden reenviarlo ni guardarlo, y nunca aparece en las respuestas públicas.
       *[document] 📎 Guardo tu archivo con esta pregunta, solo para los médicos: no pueden reenviarlo ni guardarlo, y nunca aparece en las respuestas públicas.
    }
file-joined =
    { $kind ->
        [photo] 📎 Añadí tu foto a tu pregunta <b>#{ $ref }</b>. Los médicos la ven con tu pregunta y no pueden reenviarla ni guardarla.
        [voice] 📎 Añadí tu mensaje de voz a tu pregunta <b>#{ $ref }</b>. Los médicos lo ven con tu pregunta y no pueden reenviarlo ni guardarlo.
       *[document] 📎 Añadí tu archivo a tu pregunta <b>#{ $ref }</b>. Los médicos lo ven con tu pregunta y no pueden reenviarlo ni guardarlo.
    }
file-joined-not-sent =
    { $kind ->
        [photo] 📎 Añadí tu foto a tu pregunta <b>#{ $ref }</b>. Si tocas Preguntar a un médico, se la enviaremos junto con la pregunta.
        [voice] 📎 Añadí tu mensaje de voz a tu pregunta <b>#{ $ref }</b>. Si tocas Preguntar a un médico, se lo enviaremos junto con la pregunta.
       *[document] 📎 Añadí tu archivo a tu pregunta <b>#{ $ref }</b>. Si tocas Preguntar a un médico, se lo enviaremos junto con la pregunta.
    }
file-ask-to-join =
    { $kind ->
        [photo] ¿Esta foto es sobre tu pregunta <b>#{ $ref }</b>, que sigue con nuestros médicos?
        [voice] ¿Este mensaje de voz es sobre tu pregunta <b>#{ $ref }</b>, que sigue con nuestros médicos?
       *[document] ¿Este archivo es sobre tu pregunta <b>#{ $ref }</b>, que sigue con nuestros médicos?
    }
file-join-button = Sí, añadir a #{ $ref }
file-new-question-button = No, es una pregunta nueva
file-what-about =
    { $kind ->
        [photo] ¿Qué quieres preguntar sobre esta foto? Escribe tu pregunta y guardaré la foto con ella, solo para los médicos.
        [voice] ¿Qué quieres preguntar sobre este mensaje de voz? Escribe tu pregunta y guardaré el mensaje de voz con ella, solo para los médicos.
       *[document] ¿Qué quieres preguntar sobre este archivo? Escribe tu pregunta y guardaré el archivo con ella, solo para los médicos.
    }
file-join-gone = Ya no hay nada pendiente para añadir. Envía el archivo otra vez si quieres.
file-unsupported =
    Puedo pasar a los médicos fotos, archivos PDF y de imagen, y mensajes de voz, pero no ese
    tipo de archivo. Escribe tu pregunta con palabras, por favor.

## Una pregunta del banco y sus respuestas

no-reviews = Aún sin valoraciones
rating = ★ { $rating } · { $reviews ->
    [one] { $reviews } valoración
   *[other] { $reviews } valoraciones
}
source-line = 📚 Fuente: <b>{ $source }</b>
doctor-answers = Respuestas de médicos: { $count }
answers-count = Respuestas: { $count }
answer-language-note = Esta respuesta está en { $language }.
other-matches = Otras preguntas parecidas:
is-this-your-question =
    Encontré preguntas que pueden ser la tuya, pero no estoy lo bastante seguro como para
    responderte.

    <b>¿Es esta tu pregunta?</b> Tócala para ver las respuestas de los médicos. Si ninguna
    encaja, toca <i>Ninguna de estas</i> y tu pregunta irá a nuestros médicos, sin tu nombre.
none-of-these-button = Ninguna de estas: preguntar a un médico
ask-a-doctor-button = Preguntar a un médico

## La respuesta de un médico, las preguntas de seguimiento y los pedidos de detalles

answer-headline = Un médico respondió tu pregunta
answer-updated-headline = { $who } actualizó su respuesta
answer-closing = ¿Te sirvió? Valora la respuesta o hazle a este médico una pregunta de seguimiento.
follow-up-button = Pregunta de seguimiento
rated = Gracias: le diste { $stars }★ a { $who }.
rate-refused = Solo puedes valorar respuestas a tus propias preguntas.
follow-up-prompt =
    Envía tu pregunta de seguimiento para { $who } en un solo mensaje. Verá con ella tu pregunta
    anterior y su respuesta.
follow-up-sent =
    Tu pregunta de seguimiento (referencia <b>#{ $ref }</b>) ya está con { $who }. La respuesta
    te llegará aquí.
follow-up-unavailable =
    Ese médico no puede atender preguntas de seguimiento ahora, así que traté tu mensaje como una
    pregunta nueva.
file-from-doctor =
    📎 { $kind ->
        [photo] Foto
        [voice] Mensaje de voz
       *[document] Archivo
    } de { $who }, con la respuesta a tu pregunta #{ $ref }
details-heading = { $who } te pide detalles sobre tu pregunta #{ $ref }
details-how-to-reply =
    Responde con un solo mensaje (texto, una foto, un archivo o un mensaje de voz): solo lo
    recibirá { $who }.
details-sent =
    Enviado a { $who } como detalles de tu pregunta <b>#{ $ref }</b>. La respuesta te llegará
    aquí.

## Modo inline (@bot palabras en cualquier chat)

inline-rest-in-chat =
    <i>…Esta es solo la primera parte. Para leer el resto, hazme la misma pregunta en nuestro
    chat privado.</i>
inline-ask-privately = Haz tu propia pregunta en privado
