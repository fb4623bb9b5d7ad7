# Lo que leen los médicos, en español (de usted). HTML de Telegram: <b>, <i> y &amp; como en
# cualquier mensaje. Los ids y las variables son los de en/doctors.ftl. Los nombres de los
# botones en los textos son los de los propios botones.

## Botones

answer-button = Responder
ask-details-button = Pedir detalles
skip-button = Omitir
send-button = Enviar
edit-button = Editar
cancel-button = Cancelar
edit-public-button = Editar pregunta pública
dont-publish-button = No publicar
publish-button = Publicar en el banco
queue-answer-button = Responder #{ $ref }
queue-skip-button = Omitir #{ $ref }
revise-button = Editar respuesta a #{ $ref }

list-separator = {", "}

## Una pregunta ofrecida a un médico, sus archivos, los detalles del paciente, una pregunta de
## seguimiento, un recordatorio

emergency-flag =
    🚨 <b>Posible emergencia</b>: al paciente se le mostró el mensaje de emergencia. Por favor,
    atienda esta primero.
offer-heading = <b>Nueva pregunta</b> del paciente #{ $label } (referencia #{ $ref })
# $language: "inglés", "ruso"… (la pregunta está escrita en…).
written-in = <i>Escrita en { $language }</i>
offer-how-to-answer =
    Responda a este mensaje con su respuesta, o toque Responder. Pedir detalles le hace primero
    una pregunta al paciente.
files-follow =
    { $files ->
        [one] 📎 Tras este mensaje llega { $files } archivo (protegido: no se puede reenviar ni guardar).
       *[other] 📎 Tras este mensaje llegan { $files } archivos (protegidos: no se pueden reenviar ni guardar).
    }
file-for-doctor =
    📎 { $kind ->
        [photo] Foto
        [voice] Mensaje de voz
       *[document] Archivo
    } del paciente #{ $label } para la pregunta #{ $ref }
details-from-patient = <b>Detalles</b> del paciente #{ $label } para la pregunta #{ $ref }
you-asked = Usted preguntó:
no-text = <i>(sin texto)</i>
answer-when-ready = Toque Responder cuando quiera.
follow-up-heading =
    <b>Pregunta de seguimiento</b> del paciente #{ $label } (referencia #{ $ref })
earlier-question = Pregunta anterior:
your-earlier-answer = Su respuesta:
follow-up-now = Ahora:
follow-up-how-to-answer = Responda a este mensaje con su respuesta, o toque Responder.
reminder-heading =
    ⏰ <b>Aún sin respuesta</b> tras { $waited }: pregunta #{ $ref } del paciente #{ $label }
reminder-how-to-answer = Toque Responder para responderla, u Omitir para dejársela a los demás.
offer-closed =
    <b>Respondida</b>: la pregunta #{ $ref } del paciente #{ $label } ya tiene sus respuestas
    ({ $answers }); no hacen falta más.

## Escribir una respuesta

ask-for-answer =
    Escriba su respuesta a la pregunta #{ $ref } en un solo mensaje. Verá una vista previa antes
    de que se envíe. /cancel la descarta.
ask-for-revision =
    Envíe el nuevo texto de su respuesta a la pregunta #{ $ref } en un solo mensaje. Antes verá
    una vista previa.
ask-for-details =
    Escriba en un solo mensaje su pregunta para el paciente de #{ $ref }. El paciente la verá
    con su nombre y su título, y lo que responda le llegará aquí. /cancel lo detiene.
details-request-sent = Enviado al paciente de #{ $ref }. Lo que responda le llegará aquí.
file-added-to-answer =
    📎 Adjuntado a su respuesta a la pregunta #{ $ref } ({ $files ->
        [one] { $files } archivo
       *[other] { $files } archivos
    }). Ahora escriba el texto de la respuesta en un solo mensaje; verá una vista previa antes de
    que se envíe nada.
file-without-answer =
    Para enviar un archivo con una respuesta, toque primero Responder debajo de la pregunta y
    luego envíe el archivo. Para hacer una pregunta propia sobre él, envíelo de nuevo con su
    pregunta como comentario.
no-files-in-revision =
    Los archivos van con una respuesta nueva; una edición solo cambia el texto de su respuesta a
    #{ $ref }.

## La vista previa, y lo que Enviar hace con la pregunta pública

preview-heading =
    <b>Vista previa</b> de su respuesta al paciente #{ $label } (pregunta #{ $ref }), tal como la
    verá el paciente:
revised-preview-heading =
    <b>Vista previa</b> de su respuesta corregida al paciente #{ $label } (pregunta #{ $ref }),
    tal como la verá el paciente:
preview-files =
    📎 Con { $files ->
        [one] { $files } archivo
       *[other] { $files } archivos
    }: solo para el paciente, después del texto; nunca en el banco.
preview-send-it = ¿Enviarla?
public-note-publish =
    <b>Pregunta pública</b>, tal como la mostrará el banco de respuestas con su respuesta (se
    quitaron los datos que podrían identificar al paciente; revísela):
public-note-review =
    <b>Pregunta pública</b>, tal como la mostrará el banco de respuestas con su respuesta cuando
    un administrador la apruebe (se quitaron los datos que podrían identificar al paciente;
    revísela):
public-note-joins-published =
    La respuesta de otro médico ya está en el banco bajo esta pregunta pública; la suya se suma
    a ella:
public-note-joins-review =
    La respuesta de otro médico espera la revisión de un administrador bajo esta pregunta
    pública; la suya se suma a ella:
public-note-not-published = <b>No se publica</b>: su respuesta va solo al paciente.
public-note-kept-private =
    <b>Privada</b>: el paciente pidió mantener esta pregunta privada, así que su respuesta va
    solo al paciente y nunca se suma al banco.
public-note-follow-up =
    <b>Privada</b>: la respuesta a una pregunta de seguimiento va solo al paciente, no al banco.
public-note-joins-private =
    <b>Privada</b>: las respuestas a esta pregunta van solo al paciente.
still-identifying = ⚠️ Puede que aún contenga: { $kinds }. Edítela antes de enviar.
identifier = { $kind ->
    [name] un nombre
    [phone] un número de teléfono
    [email] una dirección de correo electrónico
    [url] un enlace
    [handle] un nombre de usuario
    [date] una fecha
    [address] una dirección
    [id_number] un número identificativo
    [age_over_89] una edad de más de 89 años
    [ip_address] una dirección IP
   *[other] { $kind }
}
ask-for-public-question =
    Envíe la pregunta pública de #{ $ref } en un solo mensaje: tal como debe mostrarla el banco
    de respuestas, sin nada que pueda identificar al paciente (/cancel descarta la respuesta).
    Ahora dice:

## Después de Enviar, y los demás botones

answer-sent = { $visibility ->
    [published]
        Enviada al paciente #{ $label } y añadida al banco de respuestas como
        <i>{ $question }</i>, así que el próximo paciente que pregunte esto recibirá respuesta al
        instante. Gracias.
    [review]
        Enviada al paciente #{ $label }. Se sumará al banco de respuestas como
        <i>{ $question }</i> cuando un administrador la apruebe. Gracias.
    [private] Enviada solo al paciente #{ $label }: no se suma al banco de respuestas. Gracias.
   *[hidden] Enviada al paciente #{ $label }. Gracias.
}
revision-sent =
    Su respuesta a la pregunta #{ $ref } está actualizada en el banco, y se avisó al paciente.
revision-saved =
    Su respuesta a la pregunta #{ $ref } está actualizada. El paciente de esa pregunta borró sus
    datos, así que no se avisa a nadie más.
draft-cancelled = Cancelado: no se envió nada.
preview-already-cancelled =
    Esta vista previa se canceló antes, así que no se envió nada. Para responder, responda de
    nuevo a la pregunta o toque Responder debajo de ella en /queue.
preview-already-sent = Su respuesta a esta pregunta ya se envió. /answers le permite editarla.
nothing-to-cancel = No hay nada que cancelar.
skipped = Pregunta #{ $ref } omitida. /queue muestra las preguntas que aún esperan respuesta.
question-closed = La pregunta #{ $ref } ya tiene sus respuestas; gracias de todos modos.
not-a-doctor = Solo los médicos registrados pueden hacer eso.
not-your-answer = Solo puede cambiar sus propias respuestas.

## /queue, /answers, /profile y /help

queue-empty = Ahora mismo no hay preguntas esperando respuesta. ¡Gracias!
queue-header = <b>Preguntas que esperan respuesta</b> ({ $count }):
queue-emergency = 🚨 <b>Posible emergencia</b>
queue-item = #{ $ref } · Paciente #{ $label }
queue-files = 📎 { $files ->
    [one] { $files } archivo
   *[other] { $files } archivos
}
answers-empty = Aún no ha respondido ninguna pregunta. /queue muestra las que esperan.
answers-header = <b>Sus respuestas</b> (las más recientes primero):
question-ref = #{ $ref }
profile-heading = <b>Su ficha</b>, tal como la ven los pacientes:
profile-specialties = Especialidades (para el reparto de preguntas): { $specialties }
profile-no-specialties = ninguna
profile-answers-given = Respuestas dadas: { $count }
doctor-help-heading = Para médicos
doctor-help =
    Las preguntas que el banco de respuestas no puede responder le llegan aquí, sin el nombre del
    paciente. Responda a una pregunta con su respuesta, o toque Responder; verá una vista previa
    antes de que se envíe. Su respuesta va al paciente y al banco, bajo una pregunta pública sin
    nada que identifique al paciente: revísela en la vista previa, edítela o deje la respuesta
    fuera del banco. Pedir detalles le hace primero una pregunta al paciente. Una foto o un
    archivo que envíe mientras escribe una respuesta va con ella, solo para el paciente.

deleted-by-patient = (borrado por el paciente)
erased-by-retention = (borrado: no se guarda más tiempo del que permite la configuración de privacidad)
