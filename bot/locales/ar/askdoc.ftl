# رسائل AskDoc بالعربية. ‏HTML تيليجرام: <b> و<i> و&amp; كما في أي رسالة.

disclaimer =
    هذه الإجابات لأغراض تثقيفية ولا تُغني عن الاستشارة الطبية التي يقدّمها لك طبيبك. إذا كانت
    لديك حالة طبية طارئة، فاتصل برقم الطوارئ المحلي. هذه الإجابات لا تُنشئ علاقة بين طبيب ومريض.

emergency-message =
    إذا كانت هذه حالة طارئة محتملة، فاتصل برقم الطوارئ الآن أو توجّه إلى أقرب قسم طوارئ. إذا كانت
    تراودك أفكار عن الانتحار أو إيذاء نفسك، فاتصل بخط المساعدة النفسية الآن. لا تنتظر الرد هنا.

emergency-numbers = { $flag } { $country }: { $numbers }
number-ambulance = الإسعاف { $number }
number-emergency = الطوارئ { $number }
number-crisis = خط المساعدة النفسية { $number }
emergency-numbers-generic =
    أرقام الطوارئ: 112 في الاتحاد الأوروبي ودول كثيرة أخرى، و911 في الولايات المتحدة وكندا
    والمكسيك ومعظم أمريكا اللاتينية.
emergency-set-country = أرسل ‎/country لترى أرقام بلدك.

country-ask = في أي بلد أنت؟ سأعرض لك أرقام الطوارئ فيه كلما احتجت إليها.
country-other-button = بلدان أخرى
country-not-listed-button = بلدي ليس في القائمة
country-saved = تم الحفظ. في حالة الطوارئ: { $numbers }
country-not-listed =
    لا تتوفر لدي أرقام بلدك بعد. اتصل برقم الطوارئ المحلي أو توجّه إلى أقرب قسم طوارئ.
country-unknown = لا أعرف هذا البلد. يُرجى اختياره من الأزرار.

expected-wait = يجيب الأطباء عادةً خلال يوم واحد.

language-name = العربية

language-ask = بأي لغة تريد أن أخاطبك؟
language-saved = تم: سأخاطبك بالعربية.
language-unknown = لا أتحدث هذه اللغة بعد. يُرجى اختيار لغة من الأزرار.

command-start = ما الذي يفعله هذا البوت
command-help = كيف تطرح سؤالاً
command-privacy = ما الذي نحتفظ به ولأي مدة
command-mydata = كل ما نحتفظ به عنك
command-forget = احذف بياناتك
command-country = بلدك، لعرض أرقام الطوارئ فيه
command-language = اللغة التي أخاطبك بها
command-queue = أسئلة تنتظر إجابة
command-answers = إجاباتك، ويمكن تعديل كل منها
command-profile = بطاقتك كما يراها المرضى
command-cancel = تجاهل الإجابة التي تكتبها
command-register = قدّم طلب الانضمام كطبيب بدعوة
command-doctors = الأطباء، مع أزرار الإلغاء والاستعادة والموافقة والرفض
command-review = إجابات الأطباء التي تنتظر مراجعتك
command-bank = ابحث عن مدخل في البنك بالكلمات أو بالرقم لإخفائه أو استعادته أو تعديله أو حذفه
command-audit = من نشر أو أخفى أو حذف ماذا
command-block = احظر صاحب سؤال: /block REF
command-unblock = ألغِ الحظر: /unblock REF
command-stats = الأسئلة المطروحة وكيف أُجيب عنها والسرعة والتقييمات
