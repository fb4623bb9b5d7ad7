# Lo que leen los administradores, y los médicos que solicitan el alta por invitación, en
# español (de usted). HTML de Telegram: <b>, <i> y &amp; como en cualquier mensaje. Los ids y
# las variables son los de en/admins.ftl.

not-an-admin = Solo los administradores del bot pueden hacer eso.
admin-help-heading = Para administradores

## Registro por invitación: lo que lee quien solicita el alta

registration-off = El registro de médicos está cerrado: este bot no acepta solicitudes.
register-usage =
    Para solicitar el alta como médico, envíe /register seguido de su código de invitación.
register-wrong-code = Ese código de invitación no es válido.
already-a-doctor = Ya es uno de los médicos de este bot. /help muestra lo que puede hacer.
application-waiting = Su solicitud ya está con los administradores. Le responderemos aquí.
access-revoked-no-reapply =
    Se le retiró el acceso como médico, así que no puede volver a solicitarlo aquí. Póngase en
    contacto con quien opera el bot.
registration-heading = Solicitud de alta como médico
registration-intro =
    Le haré tres preguntas breves; los pacientes verán sus respuestas en su ficha. /cancel lo
    detiene.
registration-ask-name =
    ¿Cuál es su nombre, tal como deben verlo los pacientes? Por ejemplo: <i>Dra. Ana Pérez</i>
registration-ask-title = ¿Cuál es su título o especialidad? Por ejemplo: <i>Dermatóloga</i>
registration-ask-location = ¿Dónde ejerce? Por ejemplo: <i>Sevilla, España</i>
registration-too-long = Por favor, use como máximo { $limit } caracteres.
registration-cancelled = Su solicitud se canceló; no se envió nada a los administradores.
application-sent = Gracias. Su solicitud está con los administradores:
application-sent-next =
    Le responderemos aquí. Mientras tanto, puede usar el bot como cualquier otra persona.
application-approved = <b>¡Le damos la bienvenida!</b> Un administrador aprobó su solicitud.
application-rejected =
    Gracias por su solicitud. Un administrador no la ha aprobado, así que no puede responder
    preguntas aquí. Puede seguir haciendo preguntas como cualquier otra persona.
access-revoked =
    Un administrador le retiró el acceso como médico: ya no le llegarán preguntas y se descarta
    cualquier respuesta que estuviera escribiendo. Puede seguir haciendo preguntas como cualquier
    otra persona.
access-restored = Un administrador le devolvió el acceso como médico.

## Solicitudes y /doctors: lo que leen los administradores

application-heading = <b>Nueva solicitud de médico</b> (médico #{ $ref })
application-name = Nombre: { $name }
application-title = Título: { $title }
application-location = Lugar: { $location }
application-telegram = Telegram: { $name } (id { $id })
approve-button = Aprobar
reject-button = Rechazar
revoke-button = Revocar
restore-button = Restaurar
doctor-button = { $action } #{ $ref } { $who }
decision-done = { $decision ->
    [approve] Médico #{ $ref } ({ $who }) aprobado; ya se le avisó.
    [reject] Solicitud del médico #{ $ref } ({ $who }) rechazada; ya se le avisó.
    [revoke] Acceso del médico #{ $ref } ({ $who }) revocado; ya se le avisó.
   *[restore] Acceso del médico #{ $ref } ({ $who }) restaurado; ya se le avisó.
}
already-decided = El médico #{ $ref } ya figura como { $status }; no se cambió nada.
no-such-doctor = No existe el médico #{ $ref }.
doctors-empty = Todavía ningún médico usa el bot.
doctors-header = <b>Médicos</b> ({ $count }):
doctors-item = <b>#{ $ref }</b> · { $status } · respuestas dadas: { $answers }
doctor-status = { $status ->
    [active] activo
    [pending] pendiente de aprobación
    [revoked] revocado
    [rejected] rechazado
    [author] autor del banco
   *[other] { $status }
}

## /stats

stats-heading = Estadísticas
stats-asked = Preguntas recibidas: { $count }
stats-from-bank = Respondidas desde el banco: { $count }
stats-routed = Enviadas a médicos: { $count }
stats-by-doctors = Respondidas por médicos: { $count }
stats-median = Tiempo mediano hasta la respuesta de un médico: { $median }
stats-median-none = Tiempo mediano hasta la respuesta de un médico: aún no hay respuestas
stats-ratings = Valoraciones: { $count }
stats-ratings-average = Valoraciones: { $count } (media { $average }★)

## Preguntas que nadie responde, y bloquear a su paciente

escalation-heading =
    ⚠️ <b>Sin respuesta tras { $waited }</b>: pregunta #{ $ref } del paciente #{ $label }.
escalation-emergency = 🚨 Posible emergencia.
escalation-offered-to = Ofrecida a: { $doctors }.
escalation-offered-to-nobody = Ofrecida a: ningún médico (ninguno podía atenderla).
offer-state = { $state ->
    [offered] aún sin responder
    [skipped] la omitió
    [closed] cerrada
   *[other] { $state }
}
escalation-what-to-do =
    Pida a un médico que la atienda o, si el paciente está abusando del servicio, bloquéelo.
block-button = Bloquear a este paciente
block-usage =
    Envíe /{ $command } seguido de la referencia de una de las preguntas del paciente, tal como
    la ven los médicos: <i>/{ $command } 42</i>.
blocked-patient =
    Paciente de la pregunta #{ $ref } bloqueado: sus mensajes ni se pasan a los médicos ni se
    guardan.
already-blocked = El paciente de la pregunta #{ $ref } ya estaba bloqueado.
unblocked-patient =
    Paciente de la pregunta #{ $ref } desbloqueado: sus mensajes vuelven a recibir respuesta.
not-blocked = El paciente de la pregunta #{ $ref } no estaba bloqueado.
block-no-such = No existe ninguna pregunta #{ $ref } con paciente (puede que se haya borrado).

## El banco de respuestas: /review, /bank, reportes y /audit

# Dicho de una entrada del banco (femenino).
visibility = { $visibility ->
    [published] publicada
    [review] pendiente de revisión
    [hidden] oculta: nunca se usa para responder ni aparece en el modo inline
   *[private] privada
}
bank-entry-heading = <b>Entrada del banco #{ $ref }</b> · { $status }
review-request-heading = Nueva respuesta para revisar
report-for-admins = <b>Reporte #{ $report }</b>: un paciente reportó una respuesta.
publish-entry-button = Publicar
edit-entry-button = Editar
reject-entry-button = Rechazar
hide-button = Ocultar
restore-entry-button = Restaurar
delete-button = Borrar
keep-button = Mantener
review-empty = No hay respuestas pendientes de revisión.
review-header = <b>Pendientes de revisión</b>: { $count }. Las más antiguas:
bank-usage =
    Envíe /bank seguido de palabras de una pregunta del banco, o de su número: <i>/bank acne</i>,
    <i>/bank #12</i>.
bank-nothing = Ninguna entrada del banco coincide con <i>{ $query }</i>.
no-such-entry = No existe la entrada #{ $ref } del banco para cambiarla.
entry-unchanged = La entrada #{ $ref } del banco ya está { $status }; no se cambió nada.
entry-changed = { $action ->
    [publish]
        Entrada #{ $ref } del banco publicada: desde ahora se usa para responder a los
        pacientes.
    [reject]
        Entrada #{ $ref } del banco rechazada: queda solo con su paciente, nunca en el banco.
    [hide]
        Entrada #{ $ref } del banco oculta: nunca se usa para responder ni aparece en el modo
        inline. Restaurar la recupera.
   *[restore]
        Entrada #{ $ref } del banco restaurada: vuelve a usarse para responder a los pacientes.
}
entry-deleted = La entrada #{ $ref } del banco y sus respuestas se borraron definitivamente.
entry-hidden-instead =
    La entrada #{ $ref } del banco viene de la carpeta de respuestas o de un conjunto de datos
    importado, que la volvería a traer en el próximo arranque, así que se ocultó en su lugar.
    Quítela de allí para borrarla definitivamente.
ask-for-public-text =
    Envíe en un solo mensaje la nueva pregunta pública de la entrada #{ $ref } del banco
    (/cancel la deja como está). Ahora dice:
rewrite-cancelled = Cancelado: la entrada #{ $ref } del banco conserva su pregunta pública.
report-kept =
    La entrada #{ $ref } del banco se queda como está; el reporte #{ $report } queda cerrado.
report-decided = El reporte #{ $report } ya se resolvió.
audit-empty = El registro de auditoría está vacío.
audit-header = <b>Registro de auditoría</b>, lo más reciente primero:
