# ما يقرؤه المشرفون، والأطباء المتقدّمون بدعوة، بالعربية الفصحى. ‏HTML تيليجرام: <b> و<i>
# و&amp; كما في أي رسالة. المعرّفات والمتغيرات هي نفسها في en/admins.ftl.
# Right-to-left notes as in doctors.ftl: {"\u200E"} before each /command, "رقم { $ref }" for a
# number, {"\u2066"}#{ $label }{"\u2069"} for a patient's label.

not-an-admin = لا يستطيع ذلك إلا مشرفو البوت.
admin-help-heading = للمشرفين

## التسجيل بدعوة: ما يقرؤه المتقدّم

registration-off = تسجيل الأطباء مغلق: لا يقبل هذا البوت طلبات انضمام.
register-usage =
    لتقديم طلب الانضمام كطبيب، أرسل {"\u200E"}/register متبوعًا برمز الدعوة.
register-wrong-code = رمز الدعوة هذا غير صالح.
already-a-doctor = أنت بالفعل أحد أطباء هذا البوت. ويعرض {"\u200E"}/help ما يمكنك فعله.
application-waiting = طلبك لدى المشرفين بالفعل. وسيصلك الرد هنا.
access-revoked-no-reapply =
    سُحبت صلاحيتك كطبيب، لذا لا يمكنك التقديم مرة أخرى هنا. يُرجى التواصل مع مشغّل البوت.
registration-heading = طلب الانضمام كطبيب
registration-intro =
    سأطرح عليك ثلاثة أسئلة قصيرة، وسيرى المرضى إجاباتك على بطاقتك. ويوقف {"\u200E"}/cancel
    ذلك.
registration-ask-name = ما اسمك كما ينبغي أن يراه المرضى؟ مثلًا: <i>د. سارة أحمد</i>
registration-ask-title = ما لقبك المهني أو تخصصك؟ مثلًا: <i>طبيبة جلدية</i>
registration-ask-location = أين تمارس المهنة؟ مثلًا: <i>عمّان، الأردن</i>
registration-too-long = يُرجى ألا يتجاوز النص { $limit ->
    [one] حرفًا واحدًا
    [two] حرفين
    [few] { $limit } أحرف
    [many] { $limit } حرفًا
   *[other] { $limit } حرف
}.
registration-cancelled = أُلغي طلبك، ولم يُرسَل شيء إلى المشرفين.
application-sent = شكرًا لك. طلبك الآن لدى المشرفين:
application-sent-next = سيصلك الرد هنا. وحتى ذلك الحين يمكنك استخدام البوت مثل أي شخص آخر.
application-approved = <b>أهلًا بك!</b> وافق مشرف على طلبك.
application-rejected =
    شكرًا لتقديمك. لم يوافق مشرف على طلبك، لذا لا يمكنك الإجابة عن الأسئلة هنا. لكن يمكنك طرح
    الأسئلة مثل أي شخص آخر.
access-revoked =
    سحب مشرف صلاحيتك كطبيب: لن تصلك الأسئلة بعد الآن، وأُلغيت أي إجابة كنت تكتبها. لكن يمكنك
    طرح الأسئلة مثل أي شخص آخر.
access-restored = أعاد مشرف صلاحيتك كطبيب.

## الطلبات و‎/doctors: ما يقرؤه المشرفون

application-heading = <b>طلب انضمام جديد من طبيب</b> (الطبيب رقم { $ref })
application-name = الاسم: { $name }
application-title = اللقب المهني: { $title }
application-location = المكان: { $location }
application-telegram = تيليجرام: { $name } (المعرّف { $id })
approve-button = موافقة
reject-button = رفض
revoke-button = سحب الصلاحية
restore-button = استعادة
doctor-button = { $action }: رقم { $ref } { $who }
decision-done = { $decision ->
    [approve] تمت الموافقة على الطبيب رقم { $ref } ({ $who })، وأُبلغ بذلك.
    [reject] رُفض طلب الطبيب رقم { $ref } ({ $who })، وأُبلغ بذلك.
    [revoke] سُحبت صلاحية الطبيب رقم { $ref } ({ $who })، وأُبلغ بذلك.
   *[restore] استُعيدت صلاحية الطبيب رقم { $ref } ({ $who })، وأُبلغ بذلك.
}
already-decided = حالة الطبيب رقم { $ref } هي «{ $status }» بالفعل؛ لم يتغير شيء.
no-such-doctor = لا يوجد طبيب رقم { $ref }.
doctors-empty = لا يستخدم البوت أي طبيب بعد.
doctors-header = <b>الأطباء</b> ({ $count }):
doctors-item = <b>رقم { $ref }</b> · { $status } · الإجابات المقدّمة: { $answers }
doctor-status = { $status ->
    [active] نشط
    [pending] بانتظار الموافقة
    [revoked] سُحبت صلاحيته
    [rejected] مرفوض
    [author] من مؤلفي البنك
   *[other] { $status }
}

## ‏/stats

stats-heading = الإحصاءات
stats-asked = الأسئلة المطروحة: { $count }
stats-from-bank = أُجيب عنها من البنك: { $count }
stats-routed = أُرسلت إلى الأطباء: { $count }
stats-by-doctors = أجاب عنها الأطباء: { $count }
# بعد "خلال": المدة في حالة الجر.
stats-median = الوقت الوسيط لإجابة الطبيب: خلال { $median }
stats-median-none = الوقت الوسيط لإجابة الطبيب: لا إجابات بعد
stats-ratings = التقييمات: { $count }
stats-ratings-average = التقييمات: { $count } (المتوسط { $average }★)

## أسئلة لا يجيب عنها أحد، وحظر صاحبها

escalation-heading =
    ⚠️ <b>لا إجابة بعد مرور { $waited }</b>: السؤال رقم { $ref } من المريض
    {"\u2066"}#{ $label }{"\u2069"}.
escalation-emergency = 🚨 حالة طارئة محتملة.
escalation-offered-to = عُرض على: { $doctors }.
escalation-offered-to-nobody = عُرض على: لا أحد (لم يستطع أي طبيب تولّيه).
offer-state = { $state ->
    [offered] لم يُجب بعد
    [skipped] تخطّاه
    [closed] أُغلق
   *[other] { $state }
}
escalation-what-to-do =
    اطلب من أحد الأطباء تولّيه، أو احظر المريض إذا كان يسيء استخدام الخدمة.
block-button = حظر هذا المريض
# The command and its example, selected rather than built from $command, so that each keeps
# its left-to-right mark inside the isolation marks around a placeable.
block-usage =
    أرسل { $command ->
        [block] {"\u200E"}/block
       *[unblock] {"\u200E"}/unblock
    } متبوعًا برقم أحد أسئلة المريض كما يراه الأطباء: <i>{ $command ->
        [block] {"\u200E"}/block 42
       *[unblock] {"\u200E"}/unblock 42
    }</i>.
blocked-patient = حُظر صاحب السؤال رقم { $ref }: لن تُوجَّه رسائله إلى الأطباء ولن تُحفظ.
already-blocked = صاحب السؤال رقم { $ref } محظور بالفعل.
unblocked-patient = أُلغي حظر صاحب السؤال رقم { $ref }: ستلقى رسائله ردًا من جديد.
not-blocked = صاحب السؤال رقم { $ref } لم يكن محظورًا.
block-no-such = لا يوجد سؤال رقم { $ref } له مريض (ربما مُحي).

## بنك الإجابات: ‎/review و‎/bank والبلاغات و‎/audit

# وصف لمدخل في البنك (مذكّر).
visibility = { $visibility ->
    [published] منشور
    [review] بانتظار المراجعة
    [hidden] مخفي: لا يُعرض أبدًا على المرضى ولا في الوضع المضمّن
   *[private] خاص
}
bank-entry-heading = <b>مدخل البنك رقم { $ref }</b> · { $status }
review-request-heading = إجابة جديدة للمراجعة
report-for-admins = <b>البلاغ رقم { $report }</b>: أبلغ مريض عن إجابة.
publish-entry-button = نشر
edit-entry-button = تعديل
reject-entry-button = رفض
hide-button = إخفاء
restore-entry-button = استعادة
delete-button = حذف
keep-button = إبقاء
review-empty = لا توجد إجابات تنتظر المراجعة.
review-header = <b>بانتظار المراجعة</b>: { $count }. الأقدم:
bank-usage =
    أرسل {"\u200E"}/bank متبوعًا بكلمات من سؤال في البنك، أو برقمه: <i>{"\u200E"}/bank acne</i>،
    <i>{"\u200E"}/bank #12</i>.
bank-nothing = لا يطابق أي مدخل في البنك <i>{ $query }</i>.
no-such-entry = لا يوجد في البنك مدخل رقم { $ref } لتغييره.
entry-unchanged = مدخل البنك رقم { $ref } { $status } بالفعل؛ لم يتغير شيء.
entry-changed = { $action ->
    [publish] نُشر مدخل البنك رقم { $ref }: سيُعرض على المرضى من الآن.
    [reject] رُفض مدخل البنك رقم { $ref }: يبقى لصاحب السؤال وحده، ولا يدخل البنك أبدًا.
    [hide]
        أُخفي مدخل البنك رقم { $ref }: لا يُعرض أبدًا على المرضى ولا في الوضع المضمّن. وتعيده
        «استعادة».
   *[restore] استُعيد مدخل البنك رقم { $ref }: سيُعرض على المرضى من جديد.
}
entry-deleted = حُذف مدخل البنك رقم { $ref } وإجاباته نهائيًا.
entry-hidden-instead =
    مدخل البنك رقم { $ref } مأخوذ من مجلد الإجابات أو من مجموعة بيانات مستوردة، وستعيده عند
    التشغيل التالي، لذا أُخفي بدلًا من حذفه. احذفه من هناك لحذفه نهائيًا.
ask-for-public-text =
    أرسل في رسالة واحدة السؤال العام الجديد لمدخل البنك رقم { $ref } (يبقيه {"\u200E"}/cancel
    كما هو). نصه الآن:
rewrite-cancelled = أُلغي: يحتفظ مدخل البنك رقم { $ref } بسؤاله العام.
report-kept = أُبقي مدخل البنك رقم { $ref } كما هو، وأُغلق البلاغ رقم { $report }.
report-decided = سبق البت في البلاغ رقم { $report }.
audit-empty = سجل التدقيق فارغ.
audit-header = <b>سجل التدقيق</b>، الأحدث أولًا:
