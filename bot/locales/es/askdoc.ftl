# Los mensajes de AskDoc en español. HTML de Telegram: <b>, <i> y &amp; como en cualquier mensaje.

disclaimer =
    Estas respuestas tienen fines educativos y no sustituyen el consejo médico que pueda darte
    tu médico. Si tienes una emergencia médica, llama a tu número local de emergencias. Estas
    respuestas no constituyen ni inician una relación entre médico y paciente.

emergency-message =
    Si esto puede ser una emergencia, llama ahora a tu número de emergencias o ve al servicio de
    urgencias más cercano. Si estás pensando en suicidarte o en hacerte daño, llama ahora a una
    línea de crisis. No esperes una respuesta aquí.

emergency-numbers = { $flag } { $country }: { $numbers }
number-ambulance = ambulancia { $number }
number-emergency = emergencias { $number }
number-crisis = línea de crisis { $number }
emergency-numbers-generic =
    Números de emergencia: 112 en la Unión Europea y en muchos otros países, 911 en Estados
    Unidos, Canadá, México y gran parte de América Latina.
emergency-set-country = Envía /country para ver los números de tu país.

country-ask = ¿En qué país estás? Te mostraré sus números de emergencia siempre que los necesites.
country-other-button = Otros países
country-not-listed-button = Mi país no está en la lista
country-saved = Guardado. En una emergencia: { $numbers }
country-not-listed =
    Todavía no tengo los números de tu país. Llama a tu número local de emergencias o ve al
    servicio de urgencias más cercano.
country-unknown = No conozco ese país. Elígelo con los botones, por favor.

expected-wait = Los médicos suelen responder en un día.

language-name = Español

language-ask = ¿En qué idioma quieres que te hable?
language-saved = Listo: te hablaré en español.
language-unknown = Todavía no hablo ese idioma. Elige uno con los botones, por favor.

command-start = Qué hace este bot
command-help = Cómo hacer una pregunta
command-privacy = Qué guardamos y por cuánto tiempo
command-mydata = Todo lo que guardamos sobre ti
command-forget = Borrar tus datos
command-country = Tu país, para sus números de emergencia
command-language = El idioma en que te hablo
command-queue = Preguntas que esperan respuesta
command-answers = Tus respuestas, cada una editable
command-profile = Tu ficha tal como la ven los pacientes
command-cancel = Descartar la respuesta que estás escribiendo
command-register = Solicitar el alta como médico con una invitación
command-doctors = Los médicos, con botones para revocar, restaurar, aprobar y rechazar
command-review = Respuestas de médicos pendientes de tu revisión
command-bank = Buscar una entrada del banco por palabras o número para ocultarla, restaurarla, editarla o borrarla
command-audit = Quién publicó, ocultó o borró qué
command-block = Bloquear al paciente de una pregunta: /block REF
command-unblock = Desbloquearlo: /unblock REF
command-stats = Preguntas recibidas, cómo se respondieron, rapidez y valoraciones
