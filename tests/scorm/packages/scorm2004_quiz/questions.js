// Three questions; `answer` is the index of the right option.
window.QUESTIONS = [
  {text: "Un cliente llama enfadado. ¿Qué haces primero?",
   options: ["Escucho sin interrumpir", "Le pido el número de cliente", "Le paso con otro compañero"],
   answer: 0},
  {text: "Un cliente ha esperado ocho minutos. ¿Qué le dices?",
   options: ["¿Número de cliente?", "Gracias por esperar, ya estoy contigo"],
   answer: 1},
  {text: "¿Cuándo cierras la llamada?",
   options: ["Cuando termina mi turno", "Cuando el cliente confirma que está resuelto"],
   answer: 1}
];
